// Resolution, parts 2 and 3. apply_safe runs the actions that need no decision at once. resolve
// collects every action that needs one into ONE interrupt (parallel interrupts are a known
// LangGraph trouble spot) and applies the approved ones. A resumed node re-runs from its start,
// so nothing before interrupt() has side effects, and each action is claimed with a conditional
// update so it is applied once even if two processes resume.
import { interrupt } from "@langchain/langgraph";
import { z } from "zod";
import type { Prisma } from "../../../generated/prisma/client";
import { createFixBot } from "../bots/fix-bot";
import { retryOnConnectionError } from "../../runs/db-retry";
import type { EngineDeps } from "../deps";
import { appendEvent } from "../../runs/events";
import type { ActionRecord, RunStateUpdate, RunStateValue } from "../state";
import { readsOnly, runBySubject, subjectsOf } from "../../fixes/subjects";
import { openTarget } from "../../runs/target-secrets";
import { bindCredentials } from "../../site/credentials";
import { RunCancelledError, inPhase } from "./phase";

export const approvalRequestSchema = z.object({
  runId: z.string(),
  pending: z.array(z.object({ actionId: z.string(), code: z.string(), risk: z.string(), issueId: z.string() })),
});
export type ApprovalRequest = z.infer<typeof approvalRequestSchema>;

/** The resume value: every pending action's decision (the rows hold the same, with who and when). */
const decisionsSchema = z.record(z.string(), z.enum(["approve", "reject"]));

export function applySafeNode(deps: EngineDeps) {
  return inPhase(deps, "resolution", (state, signal) => applyClaimable(deps, state, "planned", signal), { announce: false, complete: false });
}

export function resolveNode(deps: EngineDeps) {
  return inPhase(
    deps,
    "resolution",
    async (state: RunStateValue, signal: AbortSignal): Promise<RunStateUpdate> => {
      const pending = state.actions.filter((a) => a.risk === "needs_approval" || (a.risk === "safe" && state.config.autoApprove === "none"));
      if (pending.length > 0) {
        const request: ApprovalRequest = {
          runId: state.runId,
          pending: pending.map((a) => ({ actionId: a.id, code: a.code, risk: a.risk, issueId: a.issueId })),
        };
        decisionsSchema.parse(interrupt(request));
      }
      return applyClaimable(deps, state, "approved", signal);
    },
    { announce: false },
  );
}

/** Actions applied at once at most (each holds a target connection or a few requests). */
export const APPLY_CONCURRENCY = 4;

/** Applies every action claimable from `from`, concurrently (bounded) except those on the same
 * subject (see runBySubject; actions that only GET a URL share it), started in plan (rank) order. Every action is claimed with a
 * conditional update, so it is applied once even if two processes resume the run at the same time. */
async function applyClaimable(deps: EngineDeps, state: RunStateValue, from: "planned" | "approved", signal: AbortSignal): Promise<RunStateUpdate> {
  const ids = state.actions.filter((a) => a.risk !== "advice").map((a) => a.id);
  const rows = new Map((await deps.prisma.fixAction.findMany({ where: { id: { in: ids }, status: from }, select: { id: true, params: true } })).map((r) => [r.id, r.params]));
  const work = state.actions
    .filter((action) => rows.has(action.id))
    .map((action) => ({ keys: subjectsOf(action.code, rows.get(action.id)), shared: readsOnly(action.code), run: () => applyOne(deps, state, action, from, signal) }));
  const settled = await runBySubject(work, APPLY_CONCURRENCY);
  const failure = settled.find((s): s is PromiseRejectedResult => s.status === "rejected");
  if (failure) throw failure.reason; // every other action has ended (applied, failed or unclaimed) by now
  return {};
}

async function applyOne(deps: EngineDeps, state: RunStateValue, action: ActionRecord, from: "planned" | "approved", signal: AbortSignal): Promise<void> {
  if (signal.aborted) throw new RunCancelledError(); // claim nothing more once cancelled
  const claimed = await deps.prisma.fixAction.updateMany({ where: { id: action.id, status: from }, data: { status: "applying" } });
  if (claimed.count === 0) return; // not claimable from this state, or applied by another process
  const row = await deps.prisma.fixAction.findUniqueOrThrow({ where: { id: action.id } });
  const startedAt = new Date();
  const result = await createFixBot(action.domain, deps.fixes).applyAction(
    action.code,
    row.params,
    { target: openTarget(state.config.target, deps.settings.targetDatabaseUrl), integrations: deps.settings.integrations, credentials: bindCredentials(deps.settings.site?.credentials, state.config.target.baseUrl) },
    deps.settings.fixTimeoutMs,
    signal,
  );
  // When it ran, kept with the result: what shows that independent actions overlapped.
  const timing = { startedAt: startedAt.toISOString(), endedAt: new Date().toISOString() };
  // The action has taken effect (or failed) on the target: its record must not be lost to a
  // dropped connection of our own database, or it would read "cut off, effect unknown".
  await retryOnConnectionError(() => deps.prisma.fixAction.update({
    where: { id: action.id },
    data: { status: result.ok ? "applied" : "failed", result: { ...result, ...timing } as Prisma.InputJsonObject, detail: result.detail },
  }));
  await retryOnConnectionError(() => deps.prisma.auditLog.create({
    data: {
      actorId: row.decidedById,
      actorEmail: row.decidedByEmail ?? (from === "planned" ? "system (auto-approved safe action)" : "approved without an account (CLI)"),
      action: result.effect === "none" ? "fix.no_effect" : result.ok ? "fix.applied" : "fix.failed",
      targetType: "fix_action",
      targetId: action.id,
      detail: { runId: state.runId, code: action.code, detail: result.detail },
    },
  }));
  await appendEvent(deps.prisma, state.runId, "resolution", result.ok ? "action_applied" : "action_failed", {
    actionId: action.id, code: action.code, detail: result.detail, ...(result.effect ? { effect: result.effect } : {}), ...timing,
  });
}
