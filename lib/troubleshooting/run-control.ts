// Admin decisions on a run: approve or reject a pending fix, cancel, and the recovery of runs
// cut off by a restart.
import { ApiError } from "../api/errors";
import type { Engine } from "./engine";
import { appendEvent } from "./events";
import { abortInFlight, finish } from "./run-service";

export interface Decision {
  actionId: string;
  decision: "approve" | "reject";
  comment?: string;
}

/** Records one decision. Returns true when it was the last pending one and this caller won the
 * right to resume the run (so two admins deciding at once resume it once). */
export async function decideAction(engine: Engine, runId: string, admin: { id: string | null; email: string }, input: Decision): Promise<{ resume: boolean }> {
  const { prisma } = engine.deps;
  const action = await prisma.fixAction.findFirst({ where: { id: input.actionId, runId } });
  if (!action) throw new ApiError(404, "not_found", "No such action in this run.");
  const decided = await prisma.fixAction.updateMany({
    where: { id: action.id, status: "pending_approval" },
    data: { status: input.decision === "approve" ? "approved" : "rejected", decidedById: admin.id, decidedAt: new Date(), decisionNote: input.comment ?? null },
  });
  if (decided.count === 0) throw new ApiError(409, "already_decided", `This action is ${action.status.replace("_", " ")}, not awaiting approval.`);
  await prisma.auditLog.create({
    data: { actorId: admin.id, actorEmail: admin.email, action: `fix.${input.decision}`, targetType: "fix_action", targetId: action.id, detail: { runId, code: action.code, comment: input.comment ?? null } },
  });
  await appendEvent(prisma, runId, "resolution", "action_decided", { actionId: action.id, code: action.code, decision: input.decision, by: admin.email });
  const stillPending = await prisma.fixAction.count({ where: { runId, status: "pending_approval" } });
  if (stillPending > 0) return { resume: false };
  const claimed = await prisma.troubleshootingRun.updateMany({ where: { id: runId, status: "awaiting_approval" }, data: { status: "running" } });
  return { resume: claimed.count === 1 };
}

export async function cancelRun(engine: Engine, runId: string, admin: { id: string | null; email: string }): Promise<void> {
  const { prisma } = engine.deps;
  const run = await prisma.troubleshootingRun.findUnique({ where: { id: runId }, select: { status: true } });
  if (!run) throw new ApiError(404, "not_found", "No such run.");
  if (!["queued", "running", "awaiting_approval"].includes(run.status)) throw new ApiError(409, "not_active", `The run is already ${run.status}.`);
  await prisma.troubleshootingRun.update({ where: { id: runId }, data: { cancelRequested: true } });
  await prisma.auditLog.create({ data: { actorId: admin.id, actorEmail: admin.email, action: "run.cancel", targetType: "run", targetId: runId } });
  // A run waiting for approvals executes nowhere: end it here, unless a resume just claimed it.
  const idle = await prisma.troubleshootingRun.updateMany({ where: { id: runId, status: { in: ["awaiting_approval", "queued"] } }, data: { status: "cancelled" } });
  if (idle.count === 1) {
    await prisma.fixAction.updateMany({ where: { runId, status: { in: ["pending_approval", "planned", "approved"] } }, data: { status: "skipped" } });
    await finish(engine, runId, "cancelled", `cancelled by ${admin.email}`);
  } else abortInFlight(runId);
}

/** A run is executing only while its process lives: one whose heartbeat stopped long ago was cut
 * off by a restart or crash. Mark it interrupted with the reason rather than leave it "running". */
export async function markStaleRuns(engine: Engine, staleAfterMs = 5 * 60_000): Promise<string[]> {
  const { prisma } = engine.deps;
  const stale = await prisma.troubleshootingRun.findMany({
    where: { status: { in: ["queued", "running"] }, heartbeatAt: { lt: new Date(Date.now() - staleAfterMs) } },
    select: { id: true },
  });
  for (const { id } of stale) {
    await finish(engine, id, "interrupted", `no progress for ${Math.round(staleAfterMs / 60_000)} minutes: the server running it stopped (restart or crash); start a new run`);
  }
  return stale.map((r) => r.id);
}
