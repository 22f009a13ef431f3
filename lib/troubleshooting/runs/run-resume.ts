// Resuming a run that lost its process (interrupted): LangGraph continues the thread (thread id =
// run id) from its last checkpoint, so the steps that completed before the crash are not redone and
// the events, issues and actions stored before it stay. The step that was cut off runs again.
import { Command } from "@langchain/langgraph";
import { ApiError } from "../../api/errors";
import type { Engine } from "../workflow/engine";
import { appendEvent } from "./events";
import { currentPhase, decisionsOf, driveClaimed, pendingApproval } from "./run-service";

export interface ResumedRun {
  /** "awaiting_approval" when the run was paused for decisions that are still to be made. */
  status: "running" | "awaiting_approval";
  /** Executes the run's remaining steps (never throws); absent while it waits for decisions. */
  execute?: () => Promise<void>;
}

export async function resumeInterruptedRun(engine: Engine, runId: string, admin: { id: string | null; email: string }): Promise<ResumedRun> {
  const { prisma } = engine.deps;
  const run = await prisma.troubleshootingRun.findUnique({ where: { id: runId }, select: { status: true } });
  if (!run) throw new ApiError(404, "not_found", "No such run.");
  if (run.status !== "interrupted") throw new ApiError(409, "not_interrupted", `The run is ${run.status.replace("_", " ")}; only an interrupted run can be resumed.`);
  const thread = { configurable: { thread_id: runId } };
  const snapshot = await engine.graph.getState(thread);
  if (!snapshot.createdAt) {
    throw new ApiError(409, "nothing_to_resume", "The run was interrupted before its first step was saved; start a new run.");
  }
  // Nothing changes an interrupted run's actions (decisions need awaiting_approval), so what the
  // checkpoint waits for can be read before the claim.
  const request = pendingApproval(snapshot.tasks.flatMap((task) => task.interrupts));
  const actions = await prisma.fixAction.findMany({ where: { runId, needsApproval: true }, select: { id: true, status: true } });
  const undecided = request ? request.pending.filter((p) => actions.some((a) => a.id === p.actionId && a.status === "pending_approval")) : [];
  const status = undecided.length > 0 ? "awaiting_approval" : "running";
  // The claim is one conditional update: of two admins resuming at once, one wins.
  const claimed = await prisma.troubleshootingRun.updateMany({
    where: { id: runId, status: "interrupted" },
    data: { status, statusReason: null, finishedAt: null, durationMs: null, heartbeatAt: new Date() },
  });
  if (claimed.count === 0) throw new ApiError(409, "not_interrupted", "The run was resumed or changed meanwhile.");
  await prisma.auditLog.create({ data: { actorId: admin.id, actorEmail: admin.email, action: "run.resume", targetType: "run", targetId: runId } });
  const resumed = { by: admin.email, from: "checkpoint", next: snapshot.next };

  if (undecided.length > 0) {
    // Paused for decisions nobody has made yet: nothing to execute; it waits for them again.
    await appendEvent(prisma, runId, "resolution", "run_resumed", resumed);
    await appendEvent(prisma, runId, "resolution", "approval_required", { pending: undecided });
    return { status: "awaiting_approval" };
  }
  await appendEvent(prisma, runId, await currentPhase(prisma, runId), "run_resumed", resumed);
  // Paused for decisions that were all made before the process died: continue with them. Else
  // null input: LangGraph continues the thread from its last checkpoint instead of starting over.
  const input = request ? new Command({ resume: decisionsOf(actions) }) : null;
  return { status: "running", execute: () => driveClaimed(engine, runId, input) };
}
