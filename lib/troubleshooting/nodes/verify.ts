// Verification: re-run the check behind every issue an action was applied to. An issue is
// resolved only if the check now runs and no longer reports it (same subject).
import type { CheckOutcome } from "../catalogue";
import { findCheck } from "../checks";
import type { EngineDeps } from "../deps";
import { appendEvent } from "../events";
import { withDeadline } from "../probes/resilience";
import type { IssueRecord, RunStateUpdate, RunStateValue } from "../state";
import { metricMemory } from "../memory";
import { openTarget } from "../target-secrets";
import { createSiteProbe } from "../site/site-probe";
import { inPhase } from "./phase";

type Verdict = "resolved" | "unresolved" | "open";

export function verifyNode(deps: EngineDeps) {
  return inPhase(deps, "verification", async (state: RunStateValue): Promise<RunStateUpdate> => {
    const reruns = new Map<string, Promise<CheckOutcome>>();
    const rerun = (code: string) => {
      if (!reruns.has(code)) reruns.set(code, runCheckAgain(deps, state, code));
      return reruns.get(code) as Promise<CheckOutcome>;
    };
    const allActions = await deps.prisma.fixAction.findMany({ where: { runId: state.runId } });
    for (const issue of state.issues) {
      const actions = allActions.filter((a) => a.issueId === issue.id);
      const applied = actions.filter((a) => a.status === "applied");
      let verdict: Verdict = "open";
      let reason = "no action was applied; see the recommendation";
      if (applied.length > 0) {
        const outcome = await rerun(issue.code);
        verdict = stillPresent(outcome, issue) ? "unresolved" : "resolved";
        reason = verdict === "resolved" ? `${issue.code} re-ran and no longer reports it` : describe(outcome);
        await deps.prisma.fixAction.updateMany({ where: { id: { in: applied.map((a) => a.id) } }, data: { verified: verdict === "resolved" } });
      } else if (actions.some((a) => a.status === "rejected" || a.status === "failed")) {
        verdict = "unresolved";
        reason = "its fix was rejected or failed";
      }
      await deps.prisma.issue.update({ where: { id: issue.id }, data: { status: verdict } });
      await appendEvent(deps.prisma, state.runId, "verification", "issue_verified", { issueId: issue.id, code: issue.code, status: verdict, reason });
    }
    return {};
  });
}

async function runCheckAgain(deps: EngineDeps, state: RunStateValue, code: string): Promise<CheckOutcome> {
  const check = findCheck(code, deps.checks);
  if (!check) return { status: "error", reason: `${code} is no longer in the catalogue` };
  try {
    const target = openTarget(state.config.target);
    return await withDeadline(deps.settings.checkTimeoutMs, (signal) =>
      check.run({
        target,
        site: createSiteProbe(target, signal, deps.settings.site),
        signal,
        thresholds: { ...check.thresholds, ...deps.settings.thresholdOverrides[code] },
        breakerThreshold: deps.settings.breakerThreshold,
        memory: metricMemory(deps.prisma, state.runId, state.config.target.databaseUrl),
      }),
    );
  } catch {
    return { status: "error", reason: `timed out after ${deps.settings.checkTimeoutMs} ms` };
  }
}

/** Anything but a clean run of the check counts as "still there": unverifiable is not resolved. */
function stillPresent(outcome: CheckOutcome, issue: IssueRecord): boolean {
  if (outcome.status === "passed") return false;
  if (outcome.status === "issues") return outcome.issues.some((draft) => draft.subject === issue.subject);
  return true;
}

function describe(outcome: CheckOutcome): string {
  if (outcome.status === "issues") return "the check still reports it";
  if (outcome.status === "skipped" || outcome.status === "error") return `the check could not verify it: ${outcome.reason}`;
  return "the check passed";
}
