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
import type { RunStateUpdate, RunStateValue } from "../state";
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

async function applyClaimable(deps: EngineDeps, state: RunStateValue, from: "planned" | "approved", signal: AbortSignal): Promise<RunStateUpdate> {
  for (const action of state.actions.filter((a) => a.risk !== "advice")) {
    if (signal.aborted) throw new RunCancelledError(); // claim nothing more once cancelled
    const claimed = await deps.prisma.fixAction.updateMany({ where: { id: action.id, status: from }, data: { status: "applying" } });
    if (claimed.count === 0) continue; // not claimable from this state, or applied by another process
    const row = await deps.prisma.fixAction.findUniqueOrThrow({ where: { id: action.id } });
    const result = await createFixBot(action.domain, deps.fixes).applyAction(
      action.code,
      row.params,
      { target: openTarget(state.config.target, deps.settings.targetDatabaseUrl), integrations: deps.settings.integrations, credentials: bindCredentials(deps.settings.site?.credentials, state.config.target.baseUrl) },
      deps.settings.fixTimeoutMs,
      signal,
    );
    // The action has taken effect (or failed) on the target: its record must not be lost to a
    // dropped connection of our own database, or it would read "cut off, effect unknown".
    await retryOnConnectionError(() => deps.prisma.fixAction.update({
      where: { id: action.id },
      data: { status: result.ok ? "applied" : "failed", result: result as unknown as Prisma.InputJsonObject, detail: result.detail },
    }));
    await retryOnConnectionError(() => deps.prisma.auditLog.create({
      data: {
        actorId: row.decidedById,
        actorEmail: row.decidedByEmail ?? (from === "planned" ? "system (auto-approved safe action)" : "approved without an account (CLI)"),
        action: result.ok ? "fix.applied" : "fix.failed",
        targetType: "fix_action",
        targetId: action.id,
        detail: { runId: state.runId, code: action.code, detail: result.detail },
      },
    }));
    await appendEvent(deps.prisma, state.runId, "resolution", result.ok ? "action_applied" : "action_failed", {
      actionId: action.id, code: action.code, detail: result.detail,
    });
  }
  return {};
}
