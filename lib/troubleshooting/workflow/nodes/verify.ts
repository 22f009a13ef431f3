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
import { type ApiEndpoint, apiEndpointSchema } from "../../site/endpoints";
import { publishable } from "../../plain-text";
import { RunCancelledError, inPhase } from "./phase";
import { effectOf } from "../../fixes/effect";

type Verdict = "resolved" | "unresolved" | "open";

export function verifyNode(deps: EngineDeps) {
  return inPhase(deps, "verification", async (state: RunStateValue, signal: AbortSignal): Promise<RunStateUpdate> => {
    const allActions = await deps.prisma.fixAction.findMany({ where: { runId: state.runId } });
    const appliedTo = (issue: IssueRecord) => allActions.filter((a) => a.issueId === issue.id && a.status === "applied");
    const outcomes = await runChecksAgain(deps, state, state.issues.filter((i) => appliedTo(i).length > 0), signal);
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
        reason = notAppliedReason(actions);
      }
      await deps.prisma.issue.update({ where: { id: issue.id }, data: { status: verdict } });
      await appendEvent(deps.prisma, state.runId, "verification", "issue_verified", { issueId: issue.id, code: issue.code, status: verdict, reason });
    }
    return {};
  });
}

/** Checks whose every issue is about one endpoint, judged from that endpoint's own samples and
 * how it was found (kept in `evidence.endpoint`): verification samples just those endpoints
 * again, without crawling the site, browsing it or sampling the others (a hanging one alone costs
 * a sample's 5 s). The check and its per-subject verdict are the same. */
const ENDPOINT_SCOPED = new Set(["net.endpoint_errors"]);

/** The endpoints to re-check for `issues` of one check, or null when the whole site must be
 * probed again: a check not scoped by endpoint, or an issue that does not say how its endpoint was
 * found (stored by an older version) or whose URL was scrubbed of a secret (not the real one). */
export function endpointScope(code: string, issues: IssueRecord[]): ApiEndpoint[] | null {
  if (!ENDPOINT_SCOPED.has(code)) return null;
  const endpoints: ApiEndpoint[] = [];
  for (const issue of issues) {
    const parsed = apiEndpointSchema.safeParse(issue.evidence.endpoint);
    if (!parsed.success || parsed.data.url !== issue.subject || parsed.data.url.includes("***")) return null;
    if (!endpoints.some((e) => e.url === parsed.data.url)) endpoints.push(parsed.data);
  }
  return endpoints;
}

/** Re-runs the checks behind `issues` at once, as a bot would: one probe of the site shared by the
 * checks that need the whole site, a probe of just their endpoints for the others
 * (ENDPOINT_SCOPED), each check under its own time limit, all under the diagnostic bots' deadline. */
async function runChecksAgain(deps: EngineDeps, state: RunStateValue, issues: IssueRecord[], signal: AbortSignal): Promise<Map<string, CheckOutcome>> {
  const codes = [...new Set(issues.map((i) => i.code))];
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
    // Probes do nothing until a check asks: the whole-site one costs nothing when no check needs it.
    const site = createSiteProbe(target, deadline, deps.settings.site);
    return Promise.all(
      codes.map((code) => {
        const scope = endpointScope(code, issues.filter((i) => i.code === code));
        return rerun(code, deadline, scope ? createSiteProbe(target, deadline, { ...deps.settings.site, endpoints: scope }) : site);
      }),
    );
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

/** Why an issue whose fixes were not applied stays unresolved, in the report's words: a re-probe
 * that confirmed the problem is not a failed fix, nor is a fix that declined to change anything. */
function notAppliedReason(actions: { status: string; result: unknown; detail: string | null }[]): string {
  const failed = actions.filter((a) => a.status === "failed");
  if (failed.some((a) => effectOf(a.result) === "persists")) return "the re-probe confirmed the problem persists";
  const noEffect = failed.find((a) => effectOf(a.result) === "none");
  if (noEffect) return `its fix changed nothing${noEffect.detail ? `: ${noEffect.detail}` : ""}`;
  if (failed.length > 0) return `its fix failed${failed[0]?.detail ? `: ${failed[0].detail}` : ""}`;
  return "its fix was rejected";
}
