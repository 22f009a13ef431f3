// A process that dies mid-run: the run is told apart from a live one by its heartbeat, marked
// interrupted once stale, and resumed from its LangGraph checkpoint by another process, keeping
// every event and finding stored before the crash. The crash is real: the first process is a
// child, killed with SIGKILL.
import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { createInterface } from "node:readline";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase } from "../../../fixtures/test/databases";
import { TEST_SETTINGS, closeEngine, createTestEngine, testTarget } from "../../../fixtures/test/engine";
import { slowDatabaseCheck } from "../../../fixtures/test/fault-catalogue";
import { checkpointWritten, contiguous, eventsOf, waitForEvent } from "../../../fixtures/test/faults";
import { type TargetServer, startTargetServer } from "../../../fixtures/test/target-server";
import { CHECKS } from "../checks";
import type { Engine } from "../workflow/engine";
import { buildReport } from "../queries/report";
import { runReportSchema } from "../report";
import { resumeInterruptedRun } from "./run-resume";
import { createRun, executeRun } from "./run-service";
import { finish, markStaleRuns } from "./run-status";
import { sealTarget } from "./target-secrets";

const STALE_MS = 2_500;
let databaseUrl: string;
let engine: Engine;
let site: TargetServer;
const admin = { id: null, email: "ops@example.com" };

beforeAll(async () => {
  databaseUrl = await createTestDatabase();
  engine = await createTestEngine(databaseUrl, { checks: [...CHECKS, slowDatabaseCheck(4)], settings: { ...TEST_SETTINGS, staleAfterMs: STALE_MS } });
  site = await startTargetServer({ delayMs: 400 });
});
afterAll(async () => {
  await closeEngine(engine);
  await site.close();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const reportOf = async (runId: string) => runReportSchema.parse(await buildReport(engine.deps.prisma, runId));

/** A run in a child process (its own engine and pools), and a way to kill it. */
async function runInChild(): Promise<{ runId: string; child: ChildProcess }> {
  const child = spawn(process.execPath, ["--import", "tsx", "fixtures/test/run-child.ts", databaseUrl, site.url, String(STALE_MS)], { stdio: ["ignore", "pipe", "inherit"] });
  const [line] = (await once(createInterface({ input: child.stdout! }), "line")) as [string];
  return { runId: (JSON.parse(line) as { runId: string }).runId, child };
}

async function waitForCheckpointWrite(runId: string, node: string): Promise<void> {
  const query = (sql: string, params: unknown[]) => engine.deps.prisma.$queryRawUnsafe<{ n: number }[]>(sql, ...params);
  for (let i = 0; i < 200; i++) {
    if (await checkpointWritten(query, runId, node)) return;
    await sleep(25);
  }
  throw new Error(`no checkpoint write of ${node}`);
}

describe("a run whose process dies", () => {
  it("killed with SIGKILL mid-diagnostics: marked interrupted once stale, then resumed from its checkpoint with nothing lost", async () => {
    const { runId, child } = await runInChild();
    // The database bot finishes first; the web and network bots still wait for the slow site.
    await waitForEvent(engine.deps.prisma, runId, (e) => e.type === "phase_completed" && (e.payload as { bot?: string }).bot === "database-diagnostic");
    await waitForCheckpointWrite(runId, "diagnose_database"); // LangGraph saves a finished node's result at once
    child.kill("SIGKILL");
    await once(child, "exit");
    const before = await eventsOf(engine.deps.prisma, runId);
    const issuesBefore = await engine.deps.prisma.issue.findMany({ where: { runId, detectedBy: "database-diagnostic" }, select: { id: true } });

    expect(await markStaleRuns(engine.deps.prisma, STALE_MS)).toEqual([]); // its heartbeat is still fresh
    await sleep(STALE_MS + 500);
    expect(await markStaleRuns(engine.deps.prisma, STALE_MS)).toEqual([runId]);
    let report = await reportOf(runId);
    expect(report).toMatchObject({ status: "interrupted", statusReason: expect.stringContaining("restart or crash") });

    // This process knows the target's database URL as a server does from its configuration (the
    // checkpoint holds it without the password).
    sealTarget(testTarget(site.url, databaseUrl));
    const resumed = await resumeInterruptedRun(engine, runId, admin);
    expect(resumed.status).toBe("running");
    await expect(resumeInterruptedRun(engine, runId, admin)).rejects.toMatchObject({ status: 409 }); // resumed once
    await resumed.execute?.();

    report = await reportOf(runId);
    expect([report.status, report.statusReason, report.success]).toEqual(["completed", null, true]);
    const events = await eventsOf(engine.deps.prisma, runId);
    expect(events.map((e) => e.seq)).toEqual(contiguous(events));
    expect(events.slice(0, before.length)).toEqual(before); // everything from before the kill, unchanged
    expect(events.slice(before.length, before.length + 2).map((e) => e.type)).toEqual(["run_interrupted", "run_resumed"]);
    // The checkpoint held the database bot's result: it was not run again, its issues kept.
    const databaseBot = events.filter((e) => e.type === "phase_started" && (e.payload as { bot?: string }).bot === "database-diagnostic");
    expect(databaseBot).toHaveLength(1);
    expect(events.filter((e) => e.type === "phase_started" && (e.payload as { bot?: string }).bot === "web-diagnostic")).toHaveLength(2);
    const issuesAfter = await engine.deps.prisma.issue.findMany({ where: { runId, detectedBy: "database-diagnostic" }, select: { id: true } });
    expect(issuesAfter).toEqual(issuesBefore);
    // (This engine's catalogue has db.test_slow; the child's had not, and its database bot is the one kept.)
    expect(report.checks.map((c) => c.code).sort()).toEqual(CHECKS.map((c) => c.code).sort());
    const audit = await engine.deps.prisma.auditLog.findMany({ where: { targetId: runId } });
    expect(audit.map((a) => [a.action, a.actorEmail])).toEqual([["run.resume", admin.email]]);
  });

  it("a live run is kept alive by its heartbeat through a slow check, and one ended by another process stops here", async () => {
    const { runId, config } = await createRun(engine, { trigger: "api", domains: ["database"] }, testTarget(site.url, databaseUrl));
    let done = false;
    const running = executeRun(engine, runId, config).finally(() => (done = true));
    // No event for the 4 s of the slow check: only the heartbeat says the run is alive.
    const marked: string[] = [];
    while (!done) {
      marked.push(...(await markStaleRuns(engine.deps.prisma, STALE_MS)));
      await sleep(200);
    }
    await running;
    expect(marked).toEqual([]);
    const report = await reportOf(runId);
    expect(report.status).toBe("completed");
    // The slow check really ran past the stale window, so only the heartbeat kept the run alive.
    expect(report.checks.find((c) => c.code === "db.test_slow")).toMatchObject({ status: "passed", durationMs: expect.any(Number) });
    expect(report.checks.find((c) => c.code === "db.test_slow")?.durationMs).toBeGreaterThan(STALE_MS);

    // Another process decides this one is gone (say, after a long stall) while it still runs.
    const second = await createRun(engine, { trigger: "api", domains: ["database"] }, testTarget(site.url, databaseUrl));
    const stopped = executeRun(engine, second.runId, second.config);
    await waitForEvent(engine.deps.prisma, second.runId, (e) => e.type === "phase_started" && e.phase === "diagnostics");
    await finish(engine.deps.prisma, second.runId, "interrupted", "taken for dead by another process");
    const started = Date.now();
    await stopped;
    expect(Date.now() - started).toBeLessThan(3_500); // within a heartbeat or two, not after the slow check and the rest
    const events = await eventsOf(engine.deps.prisma, second.runId);
    expect(events.map((e) => e.type)).not.toContain("run_completed");
    expect((await reportOf(second.runId)).status).toBe("interrupted");
    const resumed = await resumeInterruptedRun(engine, second.runId, admin);
    await resumed.execute?.();
    expect((await reportOf(second.runId)).status).toBe("completed");
  });

  it("refuses to resume a run that is not interrupted (409), or one interrupted before its first step was saved", async () => {
    const { runId } = await createRun(engine, { trigger: "api", domains: ["network"] }, testTarget(site.url, databaseUrl));
    await expect(resumeInterruptedRun(engine, runId, admin)).rejects.toMatchObject({ status: 409, code: "not_interrupted" });
    // Queued, and its process died before executing it: there is no checkpoint to go on from.
    await engine.deps.prisma.troubleshootingRun.update({ where: { id: runId }, data: { heartbeatAt: new Date(Date.now() - 60_000) } });
    expect(await markStaleRuns(engine.deps.prisma, STALE_MS)).toEqual([runId]);
    await expect(resumeInterruptedRun(engine, runId, admin)).rejects.toMatchObject({ status: 409, code: "nothing_to_resume" });
    expect((await reportOf(runId)).status).toBe("interrupted");
    await expect(resumeInterruptedRun(engine, "cmwuaaaaaaaaaaaaaaaaaaaaa", admin)).rejects.toMatchObject({ status: 404 });
  });
});
