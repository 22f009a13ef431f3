// Issue prioritization: rank, link related issues, and score the system as found.
import type { Prisma } from "../../../generated/prisma/client";
import { prioritize } from "../coordinator";
import type { EngineDeps } from "../deps";
import { appendEvent } from "../../runs/events";
import { healthScores } from "../health-score";
import { ignoredGroupsForRun, markIgnored } from "../../../issues/ignored";
import type { RunStateUpdate, RunStateValue } from "../state";
import { inPhase } from "./phase";

export function prioritizeNode(deps: EngineDeps) {
  return inPhase(deps, "issue_prioritization", async (state: RunStateValue): Promise<RunStateUpdate> => {
    const focus = state.triage?.focus ?? state.config.domains;
    const ranked = prioritize(state.issues, focus);
    for (const { id, rank, relatedIds } of ranked) {
      await deps.prisma.issue.update({ where: { id }, data: { rank, relatedIds } });
    }
    // Findings an admin ignored (across runs, on this target) carry no penalty.
    const ignored = await ignoredGroupsForRun(deps.prisma, state.runId);
    const healthBefore = healthScores(state.config.domains, markIgnored(state.issues, ignored).map((i) => ({ ...i, status: "open" })), state.checks);
    await deps.prisma.troubleshootingRun.update({
      where: { id: state.runId },
      data: { healthScoreBefore: healthBefore.overall, checks: state.checks as unknown as Prisma.InputJsonArray },
    });
    await appendEvent(deps.prisma, state.runId, "issue_prioritization", "issues_prioritized", { ranking: ranked, healthBefore });
    return { healthBefore };
  });
}
