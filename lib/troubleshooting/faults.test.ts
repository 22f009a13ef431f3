// Faults during a run, for real: loopback servers that die, a target PostgreSQL that restarts, a
// check with a bug, a fix that fails half-way, two admins approving at once. Every run must end
// (completed, or failed with the reason), keep every event it stored (seqs 1..n, no gap), and its
// report must say what happened.
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase } from "../../fixtures/test/databases";
import { closeEngine, createTestEngine, testTarget } from "../../fixtures/test/engine";
import { countingFix, findingCheck, halfDoneFix, slowDatabaseCheck, throwingCheck } from "../../fixtures/test/fault-catalogue";
import { contiguous, eventsOf, startRestartablePostgres, waitForEvent } from "../../fixtures/test/faults";
import { createStaleTable } from "../../fixtures/test/stale-table";
import { startTargetServer } from "../../fixtures/test/target-server";
import type { Check, FixActionDef } from "./catalogue";
import { CHECKS } from "./checks";
import type { Engine } from "./workflow/engine";
import { FIX_ACTIONS } from "./fixes";
import { buildReport } from "./queries/report";
import { runReportSchema } from "./report";
import { decideAction } from "./runs/run-control";
import { createRun, executeRun, resumeRun } from "./runs/run-service";

let databaseUrl: string;
let engine: Engine;
const engines: Engine[] = [];

beforeAll(async () => {
  databaseUrl = await createTestDatabase();
  engine = await createTestEngine(databaseUrl);
});
afterAll(async () => {
  for (const e of [engine, ...engines]) await closeEngine(e);
});

/** An engine on the same database whose catalogues have the misbehaving checks and fixes added. */
async function engineWith(checks: Check[], fixes: FixActionDef<never>[] = []): Promise<Engine> {
  const created = await createTestEngine(databaseUrl, { checks: [...CHECKS, ...checks], fixes: [...FIX_ACTIONS, ...fixes] });
  engines.push(created);
  return created;
}

async function reportOf(runId: string) {
  return runReportSchema.parse(await buildReport(engine.deps.prisma, runId));
}

/** The run's log is whole: seqs 1..n, starting with everything stored before the fault. */
async function expectWholeLog(runId: string, before: { seq: number; type: string }[] = []) {
  const events = await eventsOf(engine.deps.prisma, runId);
  expect(events.map((e) => e.seq)).toEqual(contiguous(events));
  expect(events.slice(0, before.length).map((e) => [e.seq, e.type])).toEqual(before.map((e) => [e.seq, e.type]));
  return events;
}

describe("faults during a run", () => {
  it("the target web server dies while the web and network bots probe it: completed, and the report says it went down", async () => {
    // Slow pages: when the first check completes (one that needs no page), the bots' first
    // requests are still waiting for their answers.
    const site = await startTargetServer({ delayMs: 1_500 });
    const { runId, config } = await createRun(engine, { trigger: "api", domains: ["web", "network"] }, testTarget(site.url, databaseUrl));
    const running = executeRun(engine, runId, config);
    await waitForEvent(engine.deps.prisma, runId, (e) => e.type === "check_completed");
    // Assessment's request, and at least one bot's, are in (the first check may finish first).
    await expect.poll(() => site.requests, { timeout: 10_000 }).toBeGreaterThan(1);
    const before = await eventsOf(engine.deps.prisma, runId);
    await site.close();
    await running;

    const report = await reportOf(runId);
    expect(report.status).toBe("completed");
    const events = await expectWholeLog(runId, before);
    expect(events.at(-1)?.type).toBe("run_completed");
    // It was up at assessment, and is reported down now, with the re-probe telling it is not a blip.
    expect(report.issues.map((i) => [i.code, i.severity])).toEqual(expect.arrayContaining([["web.unreachable", "critical"], ["net.endpoint_down", "high"]]));
    expect(report.actions.find((a) => a.code === "net.reprobe_transient")).toMatchObject({ status: "still_failing", detail: expect.stringMatching(/connection refused.*persistent/) });
    expect(report.issues.find((i) => i.code === "net.endpoint_down")?.status).toBe("unresolved");
  });

  it("the target database restarts under a slow check: completed, that check is an error saying so, the others ran", async () => {
    const target = await startRestartablePostgres();
    const site = await startTargetServer();
    const slow = await engineWith([slowDatabaseCheck(3)]);
    try {
      const { runId, config } = await createRun(slow, { trigger: "api", domains: ["database"] }, testTarget(site.url, target.url));
      const running = executeRun(slow, runId, config);
      await waitForSession(target.url, "SELECT pg_sleep($1)");
      const before = await eventsOf(engine.deps.prisma, runId);
      await target.restart();
      await running;

      const report = await reportOf(runId);
      expect(report.status).toBe("completed");
      await expectWholeLog(runId, before);
      expect(report.checks.find((c) => c.code === "db.test_slow")).toMatchObject({
        status: "error",
        // The server's own words: a restart ends sessions with 57P01.
        reason: expect.stringMatching(/^The server ended the session.*\(SQLSTATE 57P01: terminating connection due to administrator command\) \(lost mid-check/),
      });
      // The connection check ran before the restart and found the server up; most checks passed.
      expect(report.checks.find((c) => c.code === "db.unreachable")?.status).toBe("passed");
      expect(report.checks.filter((c) => c.domain === "database" && c.status === "passed").length).toBeGreaterThan(10);
      expect(report.healthScore.byDomain.database?.before).toBeLessThan(100); // an error costs 5 points
    } finally {
      await site.close();
      await target.stop();
    }
  });

  it("a check that throws and a fix that fails half-way: completed, the fix failed with its detail, its issue unresolved, the next fix applied", async () => {
    const target = await createTestDatabase();
    await createStaleTable(target);
    const site = await startTargetServer();
    const faulty = await engineWith([throwingCheck, findingCheck("db.test_half")], [halfDoneFix("db.test_half")]);
    try {
      const { runId, config } = await createRun(faulty, { trigger: "api" }, testTarget(site.url, target));
      await executeRun(faulty, runId, config);
      const report = await reportOf(runId);
      expect(report.status).toBe("completed");
      await expectWholeLog(runId);
      expect(report.checks.find((c) => c.code === "web.test_throws")).toMatchObject({ status: "error", reason: "the check crashed (TypeError)" });

      const half = report.issues.find((i) => i.code === "db.test_half");
      const stale = report.issues.find((i) => i.code === "db.stale_statistics");
      expect(half?.rank).toBeLessThan(stale?.rank ?? 0); // so the failing fix ran first
      expect(report.actions.find((a) => a.code === "db.test_half_done")).toMatchObject({ status: "failed", detail: "failed (Error)", verified: null });
      expect(half?.status).toBe("unresolved");
      expect(report.actions.find((a) => a.code === "db.analyze_table")).toMatchObject({ status: "applied", verified: true });
      expect(stale?.status).toBe("resolved");
      // Its first half did happen: the report does not pretend it rolled back.
      const client = new pg.Client({ connectionString: target });
      await client.connect();
      expect((await client.query("SELECT step FROM fault_marker")).rows).toEqual([{ step: "first half" }]);
      await client.end();
    } finally {
      await site.close();
    }
  });

  it("two admins approve the same action at once, and both try to resume: applied once, resumed once", async () => {
    const site = await startTargetServer();
    const counted = countingFix("db.test_needs_decision");
    // Two server processes on one database, each with its own engine.
    const [one, other] = [await engineWith([findingCheck("db.test_needs_decision", "low")], [counted.fix]), await engineWith([findingCheck("db.test_needs_decision", "low")], [counted.fix])];
    try {
      const { runId, config } = await createRun(one, { trigger: "api", domains: ["database"] }, testTarget(site.url, await createTestDatabase()));
      await executeRun(one, runId, config);
      const pending = (await reportOf(runId)).actions.find((a) => a.code === "db.test_counted");
      expect(pending?.status).toBe("pending_approval");
      const [alice, bob] = await Promise.all(["alice", "bob"].map((n) => engine.deps.prisma.user.create({ data: { email: `${n}-${runId}@example.com`, role: "ADMIN" } })));

      const decisions = await Promise.allSettled([
        decideAction(one, runId, alice!, { actionId: pending!.id, decision: "approve" }),
        decideAction(other, runId, bob!, { actionId: pending!.id, decision: "approve" }),
      ]);
      expect(decisions.filter((d) => d.status === "fulfilled").map((d) => d.value)).toEqual([{ resume: true }]);
      expect(decisions.filter((d) => d.status === "rejected").map((d) => d.reason)).toEqual([expect.objectContaining({ status: 409, code: "already_decided" })]);
      // Both processes try to resume the run (a retried request, a second tab): one does.
      const appliedBefore = counted.applied();
      await Promise.all([resumeRun(one, runId), resumeRun(other, runId)]);

      expect(counted.applied() - appliedBefore).toBe(1);
      const report = await reportOf(runId);
      expect(report.status).toBe("completed");
      expect(report.actions.find((a) => a.id === pending!.id)).toMatchObject({ status: "applied" });
      const audit = await engine.deps.prisma.auditLog.findMany({ where: { targetId: pending!.id }, orderBy: { id: "asc" } });
      expect(audit.map((a) => a.action)).toEqual(["fix.approve", "fix.applied"]);
      const events = await expectWholeLog(runId);
      expect(events.filter((e) => e.type === "action_applied")).toHaveLength(1);
      expect(events.filter((e) => e.type === "phase_started" && e.phase === "verification")).toHaveLength(1);
      expect(events.filter((e) => e.type === "run_completed")).toHaveLength(1);
    } finally {
      await site.close();
    }
  });
});

/** Waits until a session on the server runs a query starting with `text`. */
async function waitForSession(url: string, text: string): Promise<void> {
  for (let i = 0; i < 400; i++) {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    const { rows } = await client.query<{ n: number }>("SELECT count(*)::int AS n FROM pg_stat_activity WHERE state = 'active' AND starts_with(query, $1)", [text]);
    await client.end();
    if ((rows[0]?.n ?? 0) > 0) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`no session ran ${text}`);
}
