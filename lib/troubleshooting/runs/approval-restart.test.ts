// Approvals across restarts: a run waiting for an admin executes nowhere, so no process owns it.
// It must survive its server's restart, and a run cut off around its approval must be resumable
// to exactly the point it was at: still waiting, or going on with the decisions already made.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase } from "../../../fixtures/test/databases";
import { closeEngine, createTestEngine, testTarget } from "../../../fixtures/test/engine";
import { countingFix, findingCheck } from "../../../fixtures/test/fault-catalogue";
import { contiguous, eventsOf } from "../../../fixtures/test/faults";
import { type TargetServer, startTargetServer } from "../../../fixtures/test/target-server";
import { CHECKS } from "../checks";
import type { Engine } from "../workflow/engine";
import { FIX_ACTIONS } from "../fixes";
import { buildReport } from "../queries/report";
import { runReportSchema } from "../report";
import { decideAction } from "./run-control";
import { resumeInterruptedRun } from "./run-resume";
import { createRun, executeRun, resumeRun } from "./run-service";
import { markStaleRuns } from "./run-status";

let databaseUrl: string;
let site: TargetServer;
const counted = countingFix("db.test_needs_decision");
const engines: Engine[] = [];

beforeAll(async () => {
  databaseUrl = await createTestDatabase();
  site = await startTargetServer();
});
afterAll(async () => {
  for (const engine of engines) await closeEngine(engine);
  await site.close();
});

/** A server process: an engine whose catalogue plans one fix that needs approval. */
async function serverProcess(): Promise<Engine> {
  const engine = await createTestEngine(databaseUrl, { checks: [...CHECKS, findingCheck("db.test_needs_decision", "low")], fixes: [...FIX_ACTIONS, counted.fix] });
  engines.push(engine);
  return engine;
}

async function runToApproval(engine: Engine) {
  const { runId, config } = await createRun(engine, { trigger: "api", domains: ["database"] }, testTarget(site.url, await createTestDatabase()));
  await executeRun(engine, runId, config);
  const report = runReportSchema.parse(await buildReport(engine.deps.prisma, runId));
  expect(report.status).toBe("awaiting_approval");
  const action = report.actions.find((a) => a.code === "db.test_counted");
  expect(action?.status).toBe("pending_approval");
  const admin = await engine.deps.prisma.user.create({ data: { email: `admin-${runId}@example.com`, role: "ADMIN" } });
  return { runId, actionId: action!.id, admin };
}

/** What markStaleRuns finds once the run's process has been gone for longer than the window. */
async function goneLongAgo(engine: Engine, runId: string, status: "running" | "awaiting_approval") {
  await engine.deps.prisma.troubleshootingRun.update({ where: { id: runId }, data: { status, heartbeatAt: new Date(Date.now() - 10 * 60_000) } });
  return markStaleRuns(engine.deps.prisma, 60_000);
}

async function expectCompleted(engine: Engine, runId: string, actionId: string) {
  const report = runReportSchema.parse(await buildReport(engine.deps.prisma, runId));
  expect(report.status).toBe("completed");
  expect(report.actions.find((a) => a.id === actionId)).toMatchObject({ status: "applied" });
  const events = await eventsOf(engine.deps.prisma, runId);
  expect(events.map((e) => e.seq)).toEqual(contiguous(events));
  expect(events.filter((e) => e.type === "run_completed")).toHaveLength(1);
}

/** An admin approves the action, the run resumes: the fix is applied exactly once and the run completes. */
async function approveAndFinish(engine: Engine, runId: string, actionId: string, admin: Parameters<typeof decideAction>[2]) {
  const applied = counted.applied();
  expect(await decideAction(engine, runId, admin, { actionId, decision: "approve" })).toEqual({ resume: true });
  await resumeRun(engine, runId);
  expect(counted.applied() - applied).toBe(1);
  await expectCompleted(engine, runId, actionId);
}

describe("approvals across restarts", () => {
  it("a run waiting for approval is never marked stale, and a decision through a new server process resumes it", async () => {
    const first = await serverProcess();
    const { runId, actionId, admin } = await runToApproval(first);
    await closeEngine(first);
    engines.splice(engines.indexOf(first), 1); // that server is gone

    const next = await serverProcess();
    await next.deps.prisma.troubleshootingRun.update({ where: { id: runId }, data: { heartbeatAt: new Date(Date.now() - 24 * 3_600_000) } });
    expect(await markStaleRuns(next.deps.prisma, 60_000)).toEqual([]);
    await approveAndFinish(next, runId, actionId, admin);
  });

  it("cut off before it was marked as waiting: resumed, it waits for the decision again, then goes on", async () => {
    const engine = await serverProcess();
    const { runId, actionId, admin } = await runToApproval(engine);
    expect(await goneLongAgo(engine, runId, "running")).toEqual([runId]);
    expect((await engine.deps.prisma.fixAction.findUniqueOrThrow({ where: { id: actionId } })).status).toBe("pending_approval"); // kept for the resume

    const resumed = await resumeInterruptedRun(engine, runId, admin);
    expect(resumed).toEqual({ status: "awaiting_approval" });
    const events = await eventsOf(engine.deps.prisma, runId);
    expect(events.slice(-3).map((e) => e.type)).toEqual(["run_interrupted", "run_resumed", "approval_required"]);
    await approveAndFinish(engine, runId, actionId, admin);
  });

  it("decided, but the process that was to resume it died: marked interrupted, and resumed with the decision", async () => {
    const engine = await serverProcess();
    const { runId, actionId, admin } = await runToApproval(engine);
    expect(await decideAction(engine, runId, admin, { actionId, decision: "approve" })).toEqual({ resume: true });
    // ...and resumeRun never ran: the run waits with nothing left to decide.
    expect(await goneLongAgo(engine, runId, "awaiting_approval")).toEqual([runId]);
    const applied = counted.applied();
    const resumed = await resumeInterruptedRun(engine, runId, admin);
    expect(resumed.status).toBe("running");
    await resumed.execute?.();
    expect(counted.applied() - applied).toBe(1);
    await expectCompleted(engine, runId, actionId);
  });
});
