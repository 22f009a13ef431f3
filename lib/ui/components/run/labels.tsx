import type { ScoreBand } from "../../../troubleshooting/workflow/health-score";
import type { ReportAction, RunReport, Severity } from "../../../troubleshooting/report";
import { type OutcomeTone, actionStatusText, runOutcome } from "../../../troubleshooting/report-view";

const SEVERITY_STYLE: Record<Severity, string> = {
  critical: "tr:bg-red-100 tr:text-red-800 tr:dark:bg-red-950 tr:dark:text-red-200",
  high: "tr:bg-orange-100 tr:text-orange-800 tr:dark:bg-orange-950 tr:dark:text-orange-200",
  medium: "tr:bg-amber-100 tr:text-amber-800 tr:dark:bg-amber-950 tr:dark:text-amber-200",
  low: "tr:bg-sky-100 tr:text-sky-800 tr:dark:bg-sky-950 tr:dark:text-sky-200",
  info: "tr:bg-slate-100 tr:text-slate-700 tr:dark:bg-slate-800 tr:dark:text-slate-200",
};

export const SEVERITY_COLORS: Record<Severity, string> = { critical: "#dc2626", high: "#ea580c", medium: "#d97706", low: "#0284c7", info: "#64748b" };

export function SeverityBadge({ severity }: { severity: Severity }) {
  return <span className={`tr:rounded tr:px-1.5 tr:py-0.5 tr:text-xs tr:font-semibold ${SEVERITY_STYLE[severity]}`}>{severity}</span>;
}

// "completed" alone is neutral: a run that completed may have left issues open (RunOutcomeText
// says which, in green only when nothing is). Action words: see actionStatusText.
const STATUS_STYLE: Record<string, string> = {
  completed: "tr:text-slate-700 tr:dark:text-slate-200",
  resolved: "tr:text-green-700 tr:dark:text-green-300",
  applied: "tr:text-green-700 tr:dark:text-green-300",
  approved: "tr:text-indigo-700 tr:dark:text-indigo-300",
  running: "tr:text-indigo-700 tr:dark:text-indigo-300",
  awaiting_approval: "tr:text-amber-700 tr:dark:text-amber-300",
  pending_approval: "tr:text-amber-700 tr:dark:text-amber-300",
  still_failing: "tr:text-amber-700 tr:dark:text-amber-300",
  no_effect: "tr:text-slate-700 tr:dark:text-slate-200",
  failed: "tr:text-red-700 tr:dark:text-red-300",
  unresolved: "tr:text-red-700 tr:dark:text-red-300",
};

const TONE_STYLE: Record<OutcomeTone, string> = {
  good: "tr:text-green-700 tr:dark:text-green-300",
  warning: "tr:text-amber-700 tr:dark:text-amber-300",
  bad: "tr:text-red-700 tr:dark:text-red-300",
  active: "tr:text-indigo-700 tr:dark:text-indigo-300",
  neutral: "tr:text-slate-700 tr:dark:text-slate-200",
};

/** Colours of a health band (scores, monitoring components). */
export const BAND_STYLE: Record<ScoreBand, string> = {
  healthy: "tr:text-green-700 tr:dark:text-green-300",
  degraded: "tr:text-amber-700 tr:dark:text-amber-300",
  critical: "tr:text-red-700 tr:dark:text-red-300",
  unknown: "tr-muted",
};

export function StatusText({ status }: { status: string }) {
  return <span className={`tr:font-medium ${STATUS_STYLE[status] ?? "tr-muted"}`}>{status.replaceAll("_", " ")}</span>;
}

/** A fix action's status in words ("approved, not yet applied", "no effect", "still failing"). */
export function ActionStatusText({ status }: { status: ReportAction["status"] }) {
  return (
    <span className={`tr:font-medium ${STATUS_STYLE[status] ?? "tr-muted"}`} data-testid="action-status">
      {actionStatusText(status)}
    </span>
  );
}

/** A run's status with what it left: "completed · 18 issues open" in amber, green only when
 * nothing is open (for the run page's header and the report; see runOutcome). */
export function RunOutcomeText({ report }: { report: Pick<RunReport, "status" | "issues"> }) {
  const outcome = runOutcome(report);
  return (
    <span className={`tr:font-medium ${TONE_STYLE[outcome.tone]}`} data-testid="run-outcome" data-tone={outcome.tone}>
      {outcome.text}
    </span>
  );
}

export const formatMs = (ms: number | null | undefined) => (ms == null ? "–" : ms < 1_000 ? `${Math.round(ms)} ms` : `${(ms / 1_000).toFixed(1)} s`);
export const formatTime = (value: Date | string) => new Date(value).toISOString().replace("T", " ").slice(0, 16) + " UTC";
