// Approvals never lock a target: a fix left waiting past APPROVAL_EXPIRY_MINUTES is rejected as
// expired by maintenance (or by the next run requested on its target), audited and announced,
// and its run goes on to its report; the approval alert comes first and says when it expires.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase } from "../../../fixtures/test/databases";
import { closeEngine, createTestEngine, testTarget } from "../../../fixtures/test/engine";
import { countingFix, findingCheck } from "../../../fixtures/test/fault-catalogue";
import { eventsOf } from "../../../fixtures/test/faults";
import { type TargetServer, startTargetServer } from "../../../fixtures/test/target-server";
import { STORED_ONLY_ALERTS } from "../../monitoring/alerts/settings";
import { type MaintenanceSettings, runMaintenance } from "../../monitoring/maintenance";
import { CHECKS } from "../checks";
import { FIX_ACTIONS } from "../fixes";
import { buildReport } from "../queries/report";
import { runReportSchema } from "../report";
import type { Engine } from "../workflow/engine";
import { EXPIRED_BY } from "./approval-expiry";
import { createRun, executeRun } from "./run-service";

let engine: Engine;
let site: TargetServer;
let storeUrl: string;
const counted = countingFix("db.test_needs_decision");
// The wait alert is set past the expiry: it must still come before (at half the expiry).
const alerts = { ...STORED_ONLY_ALERTS, approvalWaitMinutes: 90, approvalExpiryMinutes: 60 };
const maintenance = (): MaintenanceSettings => ({
  config: { RETENTION_DAYS: undefined, RUN_STALE_AFTER_SECONDS: 60, APPROVAL_EXPIRY_MINUTES: 60 },
  alerts,
  engine: async () => engine,
});

beforeAll(async () => {
  storeUrl = await createTestDatabase();
  site = await startTargetServer();
  engine = await createTestEngine(storeUrl, {
    checks: [...CHECKS, findingCheck("db.test_needs_decision", "low")],
    fixes: [...FIX_ACTIONS, counted.fix],
    settings: { checkTimeoutMs: 5_000, diagnosticTimeoutMs: 15_000, fixTimeoutMs: 10_000, breakerThreshold: 5, thresholdOverrides: {}, alerts },
  });
});
afterAll(async () => {
  await closeEngine(engine);
  await site.close();
});

const reportOf = async (runId: string) => runReportSchema.parse(await buildReport(engine.deps.prisma, runId));

async function runToApproval(targetDatabaseUrl: string, by = engine) {
  const target = testTarget(site.url, targetDatabaseUrl);
  const { runId, config } = await createRun(by, { trigger: "cli", domains: ["database"] }, target);
  await executeRun(by, runId, config);
  const report = await reportOf(runId);
  expect(report.status).toBe("awaiting_approval");
  const action = report.actions.find((a) => a.code === "db.test_counted" && a.status === "pending_approval");
  return { runId, actionId: action!.id, target };
}

/** As if the fix had been waiting for `minutes`. */
async function waitedFor(runId: string, minutes: number) {
  await engine.deps.prisma.$executeRaw`UPDATE troubleshooter."FixAction" SET "updatedAt" = now() - make_interval(mins => ${minutes}) WHERE "runId" = ${runId} AND status = 'pending_approval'`;
}

async function expectExpired(runId: string, actionId: string) {
  const action = await engine.deps.prisma.fixAction.findUniqueOrThrow({ where: { id: actionId } });
  expect(action).toMatchObject({ status: "rejected", decidedById: null, decidedByEmail: EXPIRED_BY, decisionNote: expect.stringContaining("expired") });
  const audit = await engine.deps.prisma.auditLog.findMany({ where: { targetId: actionId } });
  expect(audit.map((a) => [a.action, a.actorId, a.actorEmail])).toEqual([["fix.expired", null, EXPIRED_BY]]);
  const events = await eventsOf(engine.deps.prisma, runId);
  expect(events.find((e) => e.type === "action_decided")?.payload).toMatchObject({ actionId, decision: "reject", by: EXPIRED_BY, expired: true });
  // It went on like any run whose fix was rejected: verified, reported, the finding still open.
  const report = await reportOf(runId);
  expect(report.status).toBe("completed");
  expect(report.actions.find((a) => a.id === actionId)).toMatchObject({ status: "rejected", decidedBy: EXPIRED_BY });
  expect(report.issues.find((i) => i.code === "db.test_needs_decision")?.status).not.toBe("resolved");
  expect(events.filter((e) => e.type === "run_completed")).toHaveLength(1);
}

describe("approval expiry", () => {
  it("maintenance alerts before the expiry, saying when, then rejects the fix as expired and finishes the run", async () => {
    const { runId, actionId } = await runToApproval(await createTestDatabase());
    const applied = counted.applied();

    await waitedFor(runId, 35);
    await runMaintenance(engine.deps.prisma, maintenance(), { prune: false });
    expect((await reportOf(runId)).status).toBe("awaiting_approval"); // not expired yet
    const [alert] = await engine.deps.prisma.alert.findMany({ where: { runId, kind: "approval_waiting" } });
    expect(alert?.message).toMatch(/Waiting for 35 minutes: Test fix db\.test_counted\. Unless decided, they are rejected as expired at \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ \(in 25 minutes\)\./);

    await waitedFor(runId, 61);
    await runMaintenance(engine.deps.prisma, maintenance(), { prune: false });
    await expectExpired(runId, actionId);
    expect(counted.applied()).toBe(applied); // never applied
  });

  it("a run expires after the expiry of the process that started it, whoever sweeps, and its alert names that deadline", async () => {
    // Started by a process with APPROVAL_EXPIRY_MINUTES=10; swept by maintenance configured with 60.
    const starter = await createTestEngine(storeUrl, { checks: engine.deps.checks, fixes: engine.deps.fixes, settings: { ...engine.deps.settings, alerts: { ...alerts, approvalExpiryMinutes: 10 } } });
    try {
      const { runId, actionId } = await runToApproval(await createTestDatabase(), starter);
      await waitedFor(runId, 6);
      await runMaintenance(engine.deps.prisma, maintenance(), { prune: false });
      expect((await reportOf(runId)).status).toBe("awaiting_approval");
      const [alert] = await engine.deps.prisma.alert.findMany({ where: { runId, kind: "approval_waiting" } });
      expect(alert?.message).toContain("(in 4 minutes)"); // its own 10 minutes, not maintenance's 60

      await waitedFor(runId, 11);
      await runMaintenance(engine.deps.prisma, maintenance(), { prune: false });
      await expectExpired(runId, actionId);
      const audit = await engine.deps.prisma.auditLog.findFirstOrThrow({ where: { targetId: actionId, action: "fix.expired" } });
      expect(audit.detail).toMatchObject({ expiryMinutes: 10 });
    } finally {
      await closeEngine(starter);
    }
  });

  it("a run requested on the target of a run waiting past the expiry starts, after that run is finished as expired", async () => {
    const { runId, actionId, target } = await runToApproval(await createTestDatabase());
    await expect(createRun(engine, { trigger: "cli", domains: ["database"] }, target)).rejects.toMatchObject({ status: 409, details: { runId } });

    await waitedFor(runId, 61);
    const next = await createRun(engine, { trigger: "cli", domains: ["database"] }, target);
    await expectExpired(runId, actionId);
    await executeRun(engine, next.runId, next.config);
    expect((await reportOf(next.runId)).status).toBe("awaiting_approval");
  });
});
