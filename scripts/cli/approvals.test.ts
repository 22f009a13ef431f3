// Unattended runs never lock their target: a run without a terminal that plans a fix needing
// approval exits 4 and prints the exact commands that decide it; the target is busy (6) until the
// approval expires, when the next run finishes it as expired (show: 5); approve from the terminal
// resumes the run, audited as cli:<user>; each outcome has its exit code (clean 0, failed 1).
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPrismaClient } from "../../lib/db";
import { runReportSchema } from "../../lib/troubleshooting/report";
import { EXPIRED_BY } from "../../lib/troubleshooting/runs/approval-expiry";
import { runTroubleshootCli } from "../../fixtures/test/cli";
import { createTestDatabase } from "../../fixtures/test/databases";
import { TEST_SETTINGS, closeEngine, createTestEngine, testTarget } from "../../fixtures/test/engine";
import { createStaleTable } from "../../fixtures/test/stale-table";
import { createRun, executeRun } from "../../lib/troubleshooting/runs/run-service";
import { type TargetServer, startTargetServer } from "../../fixtures/test/target-server";
import { EXIT } from "./exit-codes";

let productUrl: string;
let targetDb: string;
let site: TargetServer;
const prisma = () => createPrismaClient(productUrl);

beforeAll(async () => {
  productUrl = await createTestDatabase();
  targetDb = await createTestDatabase({ migrate: false });
  site = await startTargetServer({ status: 200 });
  await createStaleTable(targetDb); // db.analyze_table: safe, so with --auto-approve none it waits for a decision
}, 120_000);
afterAll(() => site.close());

const cli = (args: string[]) => runTroubleshootCli(args, { DATABASE_URL: productUrl, AUTH_SECRET: "c".repeat(40), TARGET_BASE_URL: site.url, LOG_LEVEL: "info" });
const waitingRun = () => ["--json", "--domains", "database", "--no-browser", "--auto-approve", "none", "--database-url", targetDb];

describe("approvals from the terminal", () => {
  it("waiting (4), busy (6), expired (5), approved from the CLI, and the exit code of each outcome", async () => {
    const first = await cli(waitingRun());
    expect(first.code, first.stderr).toBe(EXIT.awaitingApproval);
    const waiting = runReportSchema.parse(JSON.parse(first.stdout));
    expect(waiting.status).toBe("awaiting_approval");
    // The exact commands, the password of --database-url left out (it is in the test database's URL).
    const shown = targetDb.replace(/:[^:@/]+@/, ":***@");
    expect(first.stderr).toContain(`npm run troubleshoot -- approve ${waiting.runId} --all --database-url ${shown}`);
    expect(first.stderr).toContain(`npm run troubleshoot -- reject ${waiting.runId} --all --database-url ${shown}`);
    expect(first.stderr).not.toContain(targetDb);
    expect(first.stderr).toMatch(/rejected as expired at \d{4}-/);

    const busy = await cli(waitingRun());
    expect(busy.code).toBe(EXIT.targetBusy);
    expect(busy.stderr).toContain(`approve ${waiting.runId} --all`);

    const listed = await cli(["runs", "--status", "awaiting_approval", "--json"]);
    expect(listed.code).toBe(0);
    expect((JSON.parse(listed.stdout) as { runs: { id: string }[] }).runs.map((r) => r.id)).toEqual([waiting.runId]);

    // An hour later, nobody decided: the next run on the target finishes the old one as expired.
    const db = prisma();
    try {
      await db.$executeRaw`UPDATE troubleshooter."FixAction" SET "updatedAt" = now() - interval '61 minutes' WHERE "runId" = ${waiting.runId} AND status = 'pending_approval'`;
      const second = await cli(waitingRun());
      expect(second.code, second.stderr).toBe(EXIT.awaitingApproval);
      const next = runReportSchema.parse(JSON.parse(second.stdout));
      expect(next.runId).not.toBe(waiting.runId);

      const expired = await cli(["show", waiting.runId, "--json"]);
      expect(expired.code).toBe(EXIT.approvalExpired);
      const old = runReportSchema.parse(JSON.parse(expired.stdout));
      expect(old.status).toBe("completed");
      expect(old.actions.filter((a) => a.risk !== "advice").every((a) => a.status === "rejected" && a.decidedBy === EXPIRED_BY)).toBe(true);
      expect((await cli(["approve", waiting.runId, "--all"])).code).toBe(EXIT.approvalExpired);

      // The run keeps its --database-url without the password: `show` says to give it again, and a
      // decision without it (or with another database's) is refused before anything is recorded.
      const shownAgain = await cli(["show", next.runId]);
      expect(shownAgain.code).toBe(EXIT.awaitingApproval);
      expect(shownAgain.stderr).toContain(`approve ${next.runId} --all --database-url ${shown}`);
      const pending = () => db.fixAction.count({ where: { runId: next.runId, status: "pending_approval" } });
      const before = await pending();
      expect(before).toBeGreaterThan(0);
      const withoutUrl = await cli(["approve", next.runId, "--all", "--json"]);
      expect(withoutUrl.code, withoutUrl.stderr).toBe(EXIT.usage);
      expect(withoutUrl.stderr).toContain(`--database-url: run ${next.runId} is on ${shown} (given with --database-url or TARGET_DATABASE_URL)`);
      expect(JSON.parse(withoutUrl.stdout)).toMatchObject({ error: { exitCode: EXIT.usage } });
      const otherDatabase = await cli(["reject", next.runId, "--all", "--database-url", productUrl]);
      expect(otherDatabase.code).toBe(EXIT.usage);
      expect(otherDatabase.stderr).toContain("--database-url: not the database of run");
      expect(await pending()).toBe(before);
      expect((await db.troubleshootingRun.findUniqueOrThrow({ where: { id: next.runId } })).status).toBe("awaiting_approval");

      // Approved from the terminal: the run resumes here and ends with its report.
      const approved = await cli(["approve", next.runId, "--all", "--json", "--database-url", targetDb]);
      expect([EXIT.clean, EXIT.findings], approved.stderr).toContain(approved.code);
      expect(runReportSchema.parse(JSON.parse(approved.stdout)).status).toBe("completed");
      const audit = await db.auditLog.findMany({ where: { action: "fix.approve", detail: { path: ["runId"], equals: next.runId } } });
      expect(audit.length).toBeGreaterThan(0);
      expect(audit.every((a) => a.actorEmail === `cli:${os.userInfo().username}` && a.actorId === null)).toBe(true);

      const failed = await db.troubleshootingRun.create({ data: { trigger: "cli", target: { baseUrl: site.url, database: "x", endpoints: [] }, targetKey: "failed-run", status: "failed", statusReason: "planted" } });
      expect((await cli(["show", failed.id])).code).toBe(EXIT.failed);
    } finally {
      await db.$disconnect();
    }
  }, 240_000);

  it("cancel waits for a run executing in another process to stop, and exits with its outcome", async () => {
    // This process executes the run (beating every second) against a site that never answers.
    const executing = await createTestEngine(productUrl, { settings: { ...TEST_SETTINGS, staleAfterMs: 4_000 } });
    const hanging = createServer(() => {});
    await new Promise<void>((resolve) => hanging.listen(0, "127.0.0.1", resolve));
    try {
      const target = testTarget(`http://127.0.0.1:${(hanging.address() as AddressInfo).port}`, targetDb);
      const { runId, config } = await createRun(executing, { trigger: "api", domains: ["web"] }, target);
      const execution = executeRun(executing, runId, config);
      await expect.poll(() => executing.deps.prisma.runEvent.count({ where: { runId, phase: "system_assessment", type: "phase_started" } })).toBe(1);
      const cancelled = await cli(["cancel", runId, "--json"]);
      expect(cancelled.code, cancelled.stderr).toBe(EXIT.failed);
      expect(runReportSchema.parse(JSON.parse(cancelled.stdout))).toMatchObject({ status: "cancelled", statusReason: `cancelled by cli:${os.userInfo().username}` });
      await execution;
    } finally {
      hanging.closeAllConnections();
      hanging.close();
      await closeEngine(executing);
    }
  }, 120_000);

  it("SIGTERM (a job's timeout) cancels a one-shot run and prints its report, exit 1: the target is not left held", async () => {
    const hanging = createServer(() => {});
    await new Promise<void>((resolve) => hanging.listen(0, "127.0.0.1", resolve));
    try {
      const args = ["--json", "--domains", "web", "--no-browser", "--base-url", `http://127.0.0.1:${(hanging.address() as AddressInfo).port}`];
      const env = { DATABASE_URL: productUrl, AUTH_SECRET: "c".repeat(40), LOG_LEVEL: "info", TROUBLESHOOT_RESIDENT: "0" };
      const terminated = await runTroubleshootCli(args, env, { when: "system_assessment", send: "SIGTERM" });
      expect(terminated.code, terminated.stderr).toBe(EXIT.failed);
      expect(runReportSchema.parse(JSON.parse(terminated.stdout)).status).toBe("cancelled");
    } finally {
      hanging.closeAllConnections();
      hanging.close();
    }
  }, 120_000);

  it("a run that finds nothing exits 0", async () => {
    const clean = await cli(["--json", "--domains", "database", "--no-browser", "--database-url", await createTestDatabase({ migrate: false })]);
    expect(clean.code, clean.stdout).toBe(EXIT.clean);
  }, 120_000);
});
