// Admin decisions on a run: approve or reject a pending fix, cancel.
import { ApiError } from "../../api/errors";
import type { Engine } from "../workflow/engine";
import { appendEvent } from "./events";
import { isActiveRun } from "../report";
import { abortInFlight } from "./run-service";
import { STALE_AFTER_MS, finish } from "./run-status";

export interface Decision {
  actionId: string;
  decision: "approve" | "reject";
  comment?: string;
}

/** Records one decision. Returns resume: true when no decision is pending any more; the caller then
 * calls resumeRun, whose claim lets only one of several such callers resume the run. */
export async function decideAction(engine: Engine, runId: string, admin: { id: string | null; email: string }, input: Decision): Promise<{ resume: boolean }> {
  const { prisma } = engine.deps;
  const action = await prisma.fixAction.findFirst({ where: { id: input.actionId, runId }, include: { run: { select: { status: true } } } });
  if (!action) throw new ApiError(404, "not_found", "No such action in this run.");
  if (action.run.status !== "awaiting_approval") {
    throw new ApiError(409, "not_awaiting_approval", `The run is ${action.run.status.replace("_", " ")}, not waiting for approvals.`);
  }
  const decided = await prisma.fixAction.updateMany({
    where: { id: action.id, status: "pending_approval" },
    data: { status: input.decision === "approve" ? "approved" : "rejected", decidedById: admin.id, decidedByEmail: admin.email, decidedAt: new Date(), decisionNote: input.comment ?? null },
  });
  if (decided.count === 0) throw new ApiError(409, "already_decided", `This action is ${action.status.replace("_", " ")}, not awaiting approval.`);
  await prisma.auditLog.create({
    data: { actorId: admin.id, actorEmail: admin.email, action: `fix.${input.decision}`, targetType: "fix_action", targetId: action.id, detail: { runId, code: action.code, comment: input.comment ?? null } },
  });
  await appendEvent(prisma, runId, "resolution", "action_decided", { actionId: action.id, code: action.code, decision: input.decision, by: admin.email });
  const stillPending = await prisma.fixAction.count({ where: { runId, status: "pending_approval" } });
  return { resume: stillPending === 0 };
}

export async function cancelRun(engine: Engine, runId: string, admin: { id: string | null; email: string }): Promise<void> {
  const { prisma } = engine.deps;
  const run = await prisma.troubleshootingRun.findUnique({ where: { id: runId }, select: { status: true, heartbeatAt: true } });
  if (!run) throw new ApiError(404, "not_found", "No such run.");
  if (!isActiveRun(run.status)) throw new ApiError(409, "not_active", `The run is already ${run.status}.`);
  // Who cancelled is kept on the run (its page shows it) and in the audit log; the run_cancelled
  // event names them too, whether the run ends here or, executing, in run-service.
  await prisma.troubleshootingRun.update({ where: { id: runId }, data: { cancelRequested: true, cancelledBy: admin.email } });
  await prisma.auditLog.create({ data: { actorId: admin.id, actorEmail: admin.email, action: "run.cancel", targetType: "run", targetId: runId, detail: { status: run.status } } });
  // A run waiting for approvals executes nowhere, and one whose heartbeat stopped has lost its
  // process: end those here. An executing run stops at its next node (at once in this process).
  const stale = Date.now() - run.heartbeatAt.getTime() > (engine.deps.settings.staleAfterMs ?? STALE_AFTER_MS);
  if (run.status === "awaiting_approval" || run.status === "queued" || stale) await finish(prisma, runId, "cancelled", `cancelled by ${admin.email}`, engine.deps.settings.alerts);
  else abortInFlight(runId);
}
