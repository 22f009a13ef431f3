// Resolution, part 1: each fix bot plans catalogue actions for the issues of its domain.
// Planning writes rows; applying waits for the resolve node (after any approval).
import type { Prisma } from "../../../generated/prisma/client";
import { createFixBot } from "../bots/fix-bot";
import type { EngineDeps } from "../deps";
import { appendEvent } from "../../runs/events";
import { configuredIntegrations } from "../integrations";
import { DOMAINS, type LlmUsage, addUsage } from "../../report";
import type { ActionRecord, RunStateUpdate, RunStateValue } from "../state";
import { inPhase } from "./phase";

export function planFixesNode(deps: EngineDeps) {
  return inPhase(deps, "resolution", async (state: RunStateValue): Promise<RunStateUpdate> => {
    // Only a planning attempt cut off before its checkpoint (a crash, a dropped connection) can
    // have left actions: none was applied yet (applying is a later step), and they are planned anew.
    await deps.prisma.fixAction.deleteMany({ where: { runId: state.runId } });
    const actions: ActionRecord[] = [];
    const fallbacks: string[] = [];
    let modelChoices = 0;
    let usage: LlmUsage | undefined;
    // Plan (and so apply) in rank order: the most urgent first, and a session that blocks others
    // is released before, say, an index build that would wait on it.
    const ranked = await deps.prisma.issue.findMany({ where: { runId: state.runId }, orderBy: { rank: "asc" }, select: { id: true } });
    const position = new Map(ranked.map((issue, index) => [issue.id, index]));
    const issues = [...state.issues].sort((a, b) => (position.get(a.id) ?? 0) - (position.get(b.id) ?? 0));
    for (const domain of DOMAINS) {
      const bot = createFixBot(domain, deps.fixes);
      const plan = await bot.planActions(issues, deps.reasoner, { integrations: configuredIntegrations(deps.settings.integrations ?? {}) });
      fallbacks.push(...plan.fallbackReasons);
      modelChoices += plan.modelChoices;
      usage = addUsage(usage, plan.usage);
      for (const planned of plan.actions) {
        const needsApproval = planned.risk === "needs_approval" || (planned.risk === "safe" && state.config.autoApprove === "none");
        const row = await deps.prisma.fixAction.create({
          data: {
            runId: state.runId,
            issueId: planned.issueId,
            code: planned.code,
            title: planned.title,
            risk: planned.risk,
            needsApproval,
            status: planned.risk === "advice" ? "advice" : needsApproval ? "pending_approval" : "planned",
            params: planned.params as Prisma.InputJsonValue,
            detail: planned.detail,
          },
        });
        actions.push({ id: row.id, issueId: planned.issueId, code: planned.code, domain, risk: planned.risk });
        await appendEvent(deps.prisma, state.runId, "resolution", "action_planned", {
          actionId: row.id, issueId: planned.issueId, code: planned.code, risk: planned.risk, needsApproval, detail: planned.detail,
        });
      }
    }
    return { actions, llm: { used: modelChoices > 0, model: deps.reasoner.model, fallbackReason: fallbacks[0], usage } };
  }, { complete: false }); // resolve completes the phase, after any approvals
}
