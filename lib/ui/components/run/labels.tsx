import type { ScoreBand } from "../../../troubleshooting/workflow/health-score";
import type { Severity } from "../../../troubleshooting/report";

const SEVERITY_STYLE: Record<Severity, string> = {
  critical: "bg-red-100 text-red-800 dark:bg-red-950 dark:text-red-200",
  high: "bg-orange-100 text-orange-800 dark:bg-orange-950 dark:text-orange-200",
  medium: "bg-amber-100 text-amber-800 dark:bg-amber-950 dark:text-amber-200",
  low: "bg-sky-100 text-sky-800 dark:bg-sky-950 dark:text-sky-200",
  info: "bg-slate-100 text-slate-700 dark:bg-slate-800 dark:text-slate-200",
};

export const SEVERITY_COLORS: Record<Severity, string> = { critical: "#dc2626", high: "#ea580c", medium: "#d97706", low: "#0284c7", info: "#64748b" };

export function SeverityBadge({ severity }: { severity: Severity }) {
  return <span className={`rounded px-1.5 py-0.5 text-xs font-semibold ${SEVERITY_STYLE[severity]}`}>{severity}</span>;
}

const STATUS_STYLE: Record<string, string> = {
  completed: "text-green-700 dark:text-green-400",
  resolved: "text-green-700 dark:text-green-400",
  applied: "text-green-700 dark:text-green-400",
  running: "text-indigo-700 dark:text-indigo-300",
  awaiting_approval: "text-amber-700 dark:text-amber-300",
  pending_approval: "text-amber-700 dark:text-amber-300",
  failed: "text-red-700 dark:text-red-400",
  unresolved: "text-red-700 dark:text-red-400",
};

/** Colours of a health band (scores, monitoring components). */
export const BAND_STYLE: Record<ScoreBand, string> = {
  healthy: "text-green-700 dark:text-green-400",
  degraded: "text-amber-700 dark:text-amber-300",
  critical: "text-red-700 dark:text-red-400",
  unknown: "muted",
};

export function StatusText({ status }: { status: string }) {
  return <span className={`font-medium ${STATUS_STYLE[status] ?? "muted"}`}>{status.replaceAll("_", " ")}</span>;
}

export const formatMs = (ms: number | null | undefined) => (ms == null ? "–" : ms < 1_000 ? `${Math.round(ms)} ms` : `${(ms / 1_000).toFixed(1)} s`);
export const formatTime = (value: Date | string) => new Date(value).toISOString().replace("T", " ").slice(0, 16) + " UTC";
