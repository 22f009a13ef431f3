// Verification: re-run the check behind every issue an action was applied to. An issue is
// resolved only if the check now runs and no longer reports it (same subject).
import type { CheckOutcome } from "../../catalogue";
import { findCheck } from "../../checks";
import type { EngineDeps } from "../deps";
import { appendEvent } from "../../runs/events";
import { withTimeout } from "../../probes/resilience";
import { failureReason, runCheck } from "../bots/run-check";
import type { IssueRecord, RunStateUpdate, RunStateValue } from "../state";
import { metricMemory } from "../memory";
import { openTarget } from "../../runs/target-secrets";
import { type SiteProbe, createSiteProbe } from "../../site/site-probe";
import { publishable } from "../../plain-text";
import { RunCancelledError, inPhase } from "./phase";

type Verdict = "resolved" | "unresolved" | "open";

export function verifyNode(deps: EngineDeps) {
  return inPhase(deps, "verification", async (state: RunStateValue, signal: AbortSignal): Promise<RunStateUpdate> => {
    const allActions = await deps.prisma.fixAction.findMany({ where: { runId: state.runId } });
    const appliedTo = (issue: IssueRecord) => allActions.filter((a) => a.issueId === issue.id && a.status === "applied");
    const outcomes = await runChecksAgain(deps, state, [...new Set(state.issues.filter((i) => appliedTo(i).length > 0).map((i) => i.code))], signal);
    for (const issue of state.issues) {
      const actions = allActions.filter((a) => a.issueId === issue.id);
      const applied = appliedTo(issue);
      let verdict: Verdict = "open";
      let reason = "no action was applied; see the recommendation";
      const outcome = outcomes.get(issue.code);
      if (applied.length > 0 && outcome) {
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

/** Re-runs the checks at once, as a bot would: one probe of the site shared by all of them, each
 * check under its own time limit, all under the diagnostic bots' deadline. */
async function runChecksAgain(deps: EngineDeps, state: RunStateValue, codes: string[], signal: AbortSignal): Promise<Map<string, CheckOutcome>> {
  if (codes.length === 0) return new Map();
  const target = openTarget(state.config.target, deps.settings.targetDatabaseUrl);
  const memory = metricMemory(deps.prisma, state.runId, state.config.target.databaseUrl);
  const { checkTimeoutMs, diagnosticTimeoutMs, breakerThreshold, thresholdOverrides } = deps.settings;
  const rerun = (code: string, deadline: AbortSignal, site: SiteProbe): Promise<CheckOutcome> => {
    const check = findCheck(code, deps.checks);
    if (!check) return Promise.resolve({ status: "error", reason: `${code} is no longer in the catalogue` });
    return runCheck(check, { target, site, memory, breakerThreshold, overrides: thresholdOverrides[code] }, checkTimeoutMs, deadline)
      .catch((err: unknown): CheckOutcome => ({ status: "error", reason: failureReason(err) }));
  };
  const outcomes = await withTimeout(signal, diagnosticTimeoutMs, (deadline) => {
    const site = createSiteProbe(target, deadline, deps.settings.site);
    return Promise.all(codes.map((code) => rerun(code, deadline, site)));
  });
  if (signal.aborted) throw new RunCancelledError(); // not "unverifiable": the run stops here
  return new Map(codes.map((code, i) => [code, outcomes[i] as CheckOutcome]));
}

/** Anything but a clean run of the check counts as "still there": unverifiable is not resolved. */
function stillPresent(outcome: CheckOutcome, issue: IssueRecord): boolean {
  if (outcome.status === "passed") return false;
  if (outcome.status === "issues") return outcome.issues.some((draft) => publishable(draft).subject === issue.subject);
  return true;
}

function describe(outcome: CheckOutcome): string {
  if (outcome.status === "issues") return "the check still reports it";
  if (outcome.status === "skipped" || outcome.status === "error") return `the check could not verify it: ${outcome.reason}`;
  return "the check passed";
}
