import pg from "pg";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { asAppRole } from "../../../fixtures/test/checks";
import { createTestDatabase } from "../../../fixtures/test/databases";
import { closeEngine, createTestEngine, testTarget } from "../../../fixtures/test/engine";
import { type TargetServer, startTargetServer } from "../../../fixtures/test/target-server";
import type { Check } from "../catalogue";
import { CHECKS } from "../checks";
import type { Engine } from "../workflow/engine";
import { ruleReasoner } from "../workflow/reasoner";
import { buildReport } from "../queries/report";
import { runReportSchema } from "../report";
import { decideAction } from "./run-control";
import { createRun, executeRun, resumeRun } from "./run-service";

let databaseUrl: string;
let target: TargetServer;
let engine: Engine;

beforeAll(async () => {
  databaseUrl = await createTestDatabase();
  target = await startTargetServer();
  engine = await createTestEngine(databaseUrl, {
    settings: { checkTimeoutMs: 5_000, diagnosticTimeoutMs: 15_000, fixTimeoutMs: 10_000, breakerThreshold: 5, thresholdOverrides: { "db.long_running_query": { mediumSeconds: 1 } } },
  });
});
afterAll(async () => {
  await closeEngine(engine);
  await target.close();
});

async function runToPause(initialIssue: string) {
  const { runId, config } = await createRun(engine, { trigger: "api", initialIssue }, testTarget(target.url, databaseUrl));
  await executeRun(engine, runId, config);
  return runId;
}

/** A session stuck in a long query, as a misbehaving app would leave one. */
async function startVictimQuery(): Promise<{ done: Promise<string>; stop(): Promise<void> }> {
  // The application's own (non-superuser) role: fixes never touch superusers' sessions.
  const client = new pg.Client({ connectionString: await asAppRole(databaseUrl), application_name: "victim-app" });
  await client.connect();
  const done = client.query("SELECT pg_sleep(120)").then(() => "finished", (err: Error) => err.message);
  await new Promise((r) => setTimeout(r, 1_500));
  const stop = async () => {
    await engine.deps.prisma.$queryRaw`SELECT pg_cancel_backend(pid) FROM pg_stat_activity WHERE application_name = 'victim-app'`;
    await done;
    await client.end();
  };
  return { done, stop };
}

describe("troubleshooting runs (real Postgres, loopback target)", () => {
  it("a healthy run completes with no issues and skips resolution and verification", async () => {
    target.behaviour = { ...target.behaviour, status: 200 };
    const runId = await runToPause("everything is fine?");
    const report = runReportSchema.parse(await buildReport(engine.deps.prisma, runId));
    expect(report).toMatchObject({ status: "completed", success: true, issues: [], actions: [], healthScore: { before: 100, after: 100 } });
    expect(report.phases.map((p) => [p.name, p.status])).toEqual([
      ["initialization", "completed"],
      ["system_assessment", "completed"],
      ["diagnostics", "completed"],
      ["issue_prioritization", "completed"],
      ["resolution", "skipped"],
      ["verification", "skipped"],
      ["final_report", "completed"],
    ]);
    // No false positives: every check passes, except those that may not judge yet (no earlier run
    // to compare with) and those that do not apply to a
    // plain-http site on an IP address without Auth.js, admin or other API endpoints, run without a
    // browser, which say so.
    const notPassed = report.checks.filter((c) => c.status !== "passed").map((c) => [c.code, c.status]);
    const skipped = (codes: string[]) => codes.map((code) => [code, "skipped"]);
    expect(notPassed.sort()).toEqual(
      skipped([
        // the target is the add-on's own database: its migrations (schema troubleshooter) are not an application's
        "db.cache_hit_ratio", "db.database_size_growth", "db.deadlocks", "db.prisma_migrations_drift", "db.prisma_migrations_failed",
        "net.api_not_json", "net.auth_broken", "net.dns_failure", "net.http_not_redirected", "net.tls_expiring", "net.tls_invalid", "net.unprotected_admin_api",
        "web.console_errors", "web.csp_blocks_scripts", "web.failed_requests", "web.hydration_error", "web.layout_shift", "web.mixed_content", "web.slow_page_load",
      ]),
    );
    expect(report.checks.map((c) => c.code).sort()).toEqual(CHECKS.map((c) => c.code).sort());
    expect(report.llm).toMatchObject({ used: false });

    // The target database's password is in no event, report or checkpoint of the run.
    const password = decodeURIComponent(new URL(databaseUrl).password);
    const leaks = await engine.deps.prisma.$queryRawUnsafe<{ n: number }[]>(
      `SELECT (SELECT count(*) FROM troubleshooter."RunEvent" WHERE payload::text LIKE '%' || $1 || '%')
            + (SELECT count(*) FROM troubleshooter."TroubleshootingRun" WHERE report::text LIKE '%' || $1 || '%' OR target::text LIKE '%' || $1 || '%')
            + (SELECT count(*) FROM troubleshooter_checkpoints.checkpoints WHERE checkpoint::text LIKE '%' || $1 || '%')
            + (SELECT count(*) FROM troubleshooter_checkpoints.checkpoint_blobs WHERE position(convert_to($1, 'UTF8') IN coalesce(blob, ''::bytea)) > 0)
            + (SELECT count(*) FROM troubleshooter_checkpoints.checkpoint_writes WHERE position(convert_to($1, 'UTF8') IN coalesce(blob, ''::bytea)) > 0) AS n`,
      password,
    );
    expect(password.length).toBeGreaterThan(5);
    expect(Number(leaks[0]?.n)).toBe(0);
    const blobs = await engine.deps.prisma.$queryRawUnsafe<{ n: number }[]>(`SELECT count(*)::int AS n FROM troubleshooter_checkpoints.checkpoint_writes`);
    expect(blobs[0]?.n).toBeGreaterThan(0); // the search looked at real checkpoint data
  });

  it("finds a 500 page and a long query, waits for approval, resumes in a fresh engine, verifies the cancel", async () => {
    target.behaviour = { ...target.behaviour, status: 500 };
    const victim = await startVictimQuery();
    try {
      const runId = await runToPause("Users reporting slow page load times and errors");
      let report = runReportSchema.parse(await buildReport(engine.deps.prisma, runId));
      expect(report.status).toBe("awaiting_approval");
      const codes = report.issues.map((i) => i.code);
      expect(codes).toEqual(expect.arrayContaining(["web.page_error_status", "db.long_running_query"]));
      const longQuery = report.issues.find((i) => i.code === "db.long_running_query" && i.evidence.application === "victim-app");
      expect(longQuery?.evidence.query).toBe("SELECT pg_sleep(?)");
      const page = report.issues.find((i) => i.code === "web.page_error_status");
      expect(longQuery?.relatedIds).toContain(page?.id);
      const cancel = report.actions.find((a) => a.code === "db.cancel_query" && a.issueIds.includes(longQuery?.id ?? ""));
      expect(cancel).toMatchObject({ status: "pending_approval", risk: "needs_approval" });

      const admin = await engine.deps.prisma.user.create({ data: { email: `a-${runId}@example.com`, role: "ADMIN" } });
      for (const action of report.actions.filter((a) => a.status === "pending_approval")) {
        const { resume } = await decideAction(engine, runId, admin, { actionId: action.id, decision: "approve" });
        expect(resume).toBe(action === report.actions.filter((a) => a.status === "pending_approval").at(-1));
      }
      const fresh = await createTestEngine(databaseUrl, { settings: engine.deps.settings });
      try {
        await resumeRun(fresh, runId);
      } finally {
        await closeEngine(fresh);
      }
      expect(await victim.done).toMatch(/canceling statement due to user request/);
      report = runReportSchema.parse(await buildReport(engine.deps.prisma, runId));
      expect(report.status).toBe("completed");
      expect(report.issues.find((i) => i.id === longQuery?.id)?.status).toBe("resolved");
      expect(report.issues.find((i) => i.id === page?.id)?.status).toBe("open");
      expect(report.actions.find((a) => a.id === cancel?.id)).toMatchObject({ status: "applied", verified: true, decidedBy: admin.email });
      expect(report.phases.map((p) => p.status)).toEqual(Array(7).fill("completed"));
      expect(report.healthScore.after).toBeGreaterThan(report.healthScore.before ?? 100);
      const audit = await engine.deps.prisma.auditLog.findMany({ where: { targetId: cancel?.id }, orderBy: { id: "asc" } });
      expect(audit.map((a) => a.action)).toEqual(["fix.approve", "fix.applied"]);
    } finally {
      await victim.stop();
    }
  });

  it("a rejected cancel leaves the issue unresolved and the query running", async () => {
    target.behaviour = { ...target.behaviour, status: 200 };
    const victim = await startVictimQuery();
    try {
      const runId = await runToPause("database slow");
      const report = runReportSchema.parse(await buildReport(engine.deps.prisma, runId));
      const cancel = report.actions.find((a) => a.code === "db.cancel_query");
      expect(cancel?.status).toBe("pending_approval");
      const admin = await engine.deps.prisma.user.create({ data: { email: `r-${runId}@example.com`, role: "ADMIN" } });
      for (const action of report.actions.filter((a) => a.status === "pending_approval")) {
        const { resume } = await decideAction(engine, runId, admin, { actionId: action.id, decision: "reject", comment: "peak hours" });
        if (resume) await resumeRun(engine, runId);
      }
      const final = runReportSchema.parse(await buildReport(engine.deps.prisma, runId));
      expect(final.status).toBe("completed");
      expect(final.actions.find((a) => a.id === cancel?.id)).toMatchObject({ status: "rejected", verified: null });
      expect(final.issues.find((i) => cancel?.issueIds.includes(i.id))?.status).toBe("unresolved");
      const still = await engine.deps.prisma.$queryRaw<{ n: number }[]>`SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = 'victim-app' AND state = 'active'`;
      expect(still[0]?.n).toBe(1);
    } finally {
      await victim.stop();
    }
  });

  it("refuses a second run on the same target while one is active (409 with its id)", async () => {
    const first = await createRun(engine, { trigger: "api" }, testTarget(target.url, databaseUrl));
    await expect(createRun(engine, { trigger: "api" }, testTarget(target.url, databaseUrl))).rejects.toMatchObject({
      status: 409,
      details: { runId: first.runId },
    });
    await executeRun(engine, first.runId, first.config);
  });

  it("a run stopped by an internal error says so, and the log's line has the error's words without its secrets", async () => {
    const broken = await createTestEngine(databaseUrl, {
      reasoner: { ...ruleReasoner, triage: () => Promise.reject(new TypeError("cannot read the plan of postgresql://app:hunter2@db.internal/app")) },
    });
    const written: string[] = [];
    const write = vi.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => (written.push(String(chunk)), true));
    try {
      const { runId, config } = await createRun(broken, { trigger: "api", domains: ["web"] }, testTarget(target.url, await createTestDatabase()));
      await executeRun(broken, runId, config);
      const run = await broken.deps.prisma.troubleshootingRun.findUniqueOrThrow({ where: { id: runId } });
      expect(run).toMatchObject({ status: "failed", statusReason: `the workflow stopped on an internal error (TypeError); see the log's "run failed" line` });
      const line = written.find((l) => l.includes('"msg":"run failed"') && l.includes(runId));
      expect(line).toContain("cannot read the plan of postgresql://app:***@db.internal/app");
      expect(line).not.toContain("hunter2");
    } finally {
      write.mockRestore();
      await closeEngine(broken);
    }
  });

  it("cuts off a bot that hangs and completes the run degraded", async () => {
    const hang: Check = { code: "web.test_hang", domain: "web", title: "hangs", description: "never answers", run: () => new Promise(() => {}) };
    const hanging = await createTestEngine(databaseUrl, {
      checks: [...CHECKS, hang],
      settings: { ...engine.deps.settings, diagnosticTimeoutMs: 800, checkTimeoutMs: 60_000 },
    });
    const other = await startTargetServer();
    try {
      const { runId, config } = await createRun(hanging, { trigger: "api", domains: ["web", "network"] }, testTarget(other.url, await createTestDatabase()));
      await executeRun(hanging, runId, config);
      const report = runReportSchema.parse(await buildReport(hanging.deps.prisma, runId));
      expect(report.status).toBe("completed");
      expect(report.degradedDomains).toEqual(["web"]);
      expect(report.checks.find((c) => c.code === "web.test_hang")).toMatchObject({ status: "error", reason: "the web bot timed out after 800 ms" });
      expect(report.checks.find((c) => c.code === "net.endpoint_down")?.status).toBe("passed");
      expect(report.healthScore.byDomain.web?.before).toBeLessThan(100);
    } finally {
      await closeEngine(hanging);
      await other.close();
    }
  });
});
