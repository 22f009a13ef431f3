import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase } from "../../../fixtures/test/databases";
import { TEST_SETTINGS, closeEngine, createTestEngine, testTarget } from "../../../fixtures/test/engine";
import type { Engine } from "../workflow/engine";
import { buildReport } from "../queries/report";
import { cancelRun } from "./run-control";
import { createRun, executeRun } from "./run-service";
import { markStaleRuns } from "./run-status";

let engine: Engine;
let databaseUrl: string;
beforeAll(async () => {
  databaseUrl = await createTestDatabase();
  engine = await createTestEngine(databaseUrl);
});
afterAll(() => closeEngine(engine));

function run(status: "running" | "awaiting_approval" | "completed", heartbeatAt = new Date()) {
  return engine.deps.prisma.troubleshootingRun.create({
    data: { trigger: "api", status, heartbeatAt, target: { baseUrl: "http://x", database: "x", endpoints: [] }, targetKey: `k${Math.random()}` },
  });
}

describe("run control", () => {
  it("cancels a run waiting for approvals at once, skipping its pending fixes, and refuses to cancel a finished one", async () => {
    const waiting = await run("awaiting_approval");
    const action = await engine.deps.prisma.fixAction.create({ data: { runId: waiting.id, code: "db.cancel_query", risk: "needs_approval", status: "pending_approval", needsApproval: true } });
    await cancelRun(engine, waiting.id, { id: null, email: "ops@example.com" });
    const after = await engine.deps.prisma.troubleshootingRun.findUniqueOrThrow({ where: { id: waiting.id } });
    expect(after).toMatchObject({ status: "cancelled", cancelRequested: true, cancelledBy: "ops@example.com", statusReason: "cancelled by ops@example.com" });
    const audit = await engine.deps.prisma.auditLog.findFirst({ where: { action: "run.cancel", targetId: waiting.id } });
    expect(audit?.actorEmail).toBe("ops@example.com");
    expect((await engine.deps.prisma.fixAction.findUniqueOrThrow({ where: { id: action.id } })).status).toBe("skipped");
    const last = await engine.deps.prisma.runEvent.findFirst({ where: { runId: waiting.id }, orderBy: { seq: "desc" } });
    expect(last).toMatchObject({ type: "run_cancelled", payload: { reason: "cancelled by ops@example.com" } });

    const done = await run("completed");
    await expect(cancelRun(engine, done.id, { id: null, email: "ops@example.com" })).rejects.toMatchObject({ status: 409 });
  });

  it("an executing run cancelled by an admin ends naming them", async () => {
    // A site that never answers keeps the run in its assessment while it is cancelled.
    const site = createServer(() => {});
    await new Promise<void>((resolve) => site.listen(0, "127.0.0.1", resolve));
    try {
      const target = testTarget(`http://127.0.0.1:${(site.address() as AddressInfo).port}`, databaseUrl, { browser: false });
      const { runId, config } = await createRun(engine, { trigger: "api", domains: ["web"] }, target);
      const execution = executeRun(engine, runId, config);
      await expect.poll(async () => (await engine.deps.prisma.troubleshootingRun.findUnique({ where: { id: runId } }))?.status).toBe("running");
      await cancelRun(engine, runId, { id: null, email: "night-shift@example.com" });
      await execution;
      const after = await engine.deps.prisma.troubleshootingRun.findUnique({ where: { id: runId } });
      expect(after).toMatchObject({ status: "cancelled", cancelledBy: "night-shift@example.com", statusReason: "cancelled by night-shift@example.com" });
    } finally {
      site.closeAllConnections();
      site.close();
    }
  });

  it("a run executing in another process stops within a heartbeat of a cancel requested there, not at its next node", async () => {
    // Beats every second; the site answers its page after 3 s, long after the cancel.
    const beating = await createTestEngine(databaseUrl, { settings: { ...TEST_SETTINGS, staleAfterMs: 4_000 } });
    let answered!: () => void;
    const pageAnswered = new Promise<void>((resolve) => (answered = resolve));
    const site = createServer((_req, res) => setTimeout(() => (res.end("<html></html>"), answered()), 3_000));
    await new Promise<void>((resolve) => site.listen(0, "127.0.0.1", resolve));
    try {
      const target = testTarget(`http://127.0.0.1:${(site.address() as AddressInfo).port}`, databaseUrl, { browser: false });
      const { runId, config } = await createRun(beating, { trigger: "api", domains: ["web"] }, target);
      const execution = executeRun(beating, runId, config);
      await expect.poll(() => engine.deps.prisma.runEvent.count({ where: { runId, phase: "system_assessment", type: "phase_started" } })).toBe(1);
      // What cancelRun writes; another process cannot abort this one's work.
      await engine.deps.prisma.troubleshootingRun.update({ where: { id: runId }, data: { cancelRequested: true, cancelledBy: "cli:ops" } });
      await execution;
      const after = await engine.deps.prisma.troubleshootingRun.findUniqueOrThrow({ where: { id: runId } });
      expect(after).toMatchObject({ status: "cancelled", statusReason: "cancelled by cli:ops" });
      // Stopped during the assessment: it never got to record what it assessed.
      expect(await engine.deps.prisma.runEvent.count({ where: { runId, type: "system_assessed" } })).toBe(0);
      // The assessment's own request ends later: nothing is recorded after the run's end.
      await pageAnswered;
      await new Promise((resolve) => setTimeout(resolve, 300));
      const events = await engine.deps.prisma.runEvent.findMany({ where: { runId }, orderBy: { seq: "asc" }, select: { type: true } });
      expect(events.at(-1)?.type).toBe("run_cancelled");
      // Its report says the assessment was cancelled, and times it within the run.
      const report = await buildReport(engine.deps.prisma, runId);
      const assessment = report?.phases.find((p) => p.name === "system_assessment");
      expect(assessment?.status).toBe("cancelled");
      expect(assessment?.durationMs).toBeLessThanOrEqual(report?.durationMs ?? 0);
    } finally {
      site.closeAllConnections();
      site.close();
      await closeEngine(beating);
    }
  });

  it("marks runs whose heartbeat stopped as interrupted with a reason, and leaves live and waiting ones alone", async () => {
    const dead = await run("running", new Date(Date.now() - 10 * 60_000));
    const live = await run("running");
    const waiting = await run("awaiting_approval", new Date(Date.now() - 60 * 60_000));
    expect(await markStaleRuns(engine.deps.prisma)).toEqual([dead.id]);
    const rows = await engine.deps.prisma.troubleshootingRun.findMany({ where: { id: { in: [dead.id, live.id, waiting.id] } } });
    const byId = Object.fromEntries(rows.map((r) => [r.id, r]));
    expect(byId[dead.id]).toMatchObject({ status: "interrupted", statusReason: expect.stringContaining("restart or crash") });
    expect(byId[live.id]?.status).toBe("running");
    expect(byId[waiting.id]?.status).toBe("awaiting_approval");
  });
});
