import type { ScoreBand } from "../../../troubleshooting/workflow/health-score";
import type { Severity } from "../../../troubleshooting/report";

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

const STATUS_STYLE: Record<string, string> = {
  completed: "tr:text-green-700 tr:dark:text-green-400",
  resolved: "tr:text-green-700 tr:dark:text-green-400",
  applied: "tr:text-green-700 tr:dark:text-green-400",
  running: "tr:text-indigo-700 tr:dark:text-indigo-300",
  awaiting_approval: "tr:text-amber-700 tr:dark:text-amber-300",
  pending_approval: "tr:text-amber-700 tr:dark:text-amber-300",
  failed: "tr:text-red-700 tr:dark:text-red-400",
  unresolved: "tr:text-red-700 tr:dark:text-red-400",
};

/** Colours of a health band (scores, monitoring components). */
export const BAND_STYLE: Record<ScoreBand, string> = {
  healthy: "tr:text-green-700 tr:dark:text-green-400",
  degraded: "tr:text-amber-700 tr:dark:text-amber-300",
  critical: "tr:text-red-700 tr:dark:text-red-400",
  unknown: "tr-muted",
};

export function StatusText({ status }: { status: string }) {
  return <span className={`tr:font-medium ${STATUS_STYLE[status] ?? "tr-muted"}`}>{status.replaceAll("_", " ")}</span>;
}

export const formatMs = (ms: number | null | undefined) => (ms == null ? "–" : ms < 1_000 ? `${Math.round(ms)} ms` : `${(ms / 1_000).toFixed(1)} s`);
export const formatTime = (value: Date | string) => new Date(value).toISOString().replace("T", " ").slice(0, 16) + " UTC";
