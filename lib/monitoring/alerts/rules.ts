// Alert rules: plain functions from a run's facts to alert candidates, so they can be tested and
// read without a database. Each candidate carries a dedupe key naming its subject (the target, or
// the run for approvals): the same key within the dedupe window is one alert, counted, not re-sent.
import { scopeLabel } from "../../troubleshooting/queries/comparable";
import { type Domain, isFinalRun } from "../../troubleshooting/report";
import type { AlertSettings } from "./settings";

export const ALERT_KINDS = ["run_failed", "critical_issue", "score_below", "score_drop", "approval_waiting", "regression"] as const;
export type AlertKind = (typeof ALERT_KINDS)[number];
export type AlertSeverity = "critical" | "warning";

export interface AlertCandidate {
  kind: AlertKind;
  severity: AlertSeverity;
  dedupeKey: string;
  title: string;
  message: string;
  runId: string | null;
}

export interface RunFacts {
  id: string;
  status: string;
  statusReason: string | null;
  healthScoreAfter: number | null;
  targetKey: string;
  /** The domains the run checked, as scopeKey gives them ("database,network,web"). */
  scope: string;
  target: unknown;
  issues: { code: string; severity: string; title: string; status: string }[];
}

/** The previous completed run on the same target with the same scope (for the score drop), if any:
 * comparable.ts finds it; the rule checks both again, so that no caller can compare unlike runs. */
export interface PreviousRun {
  id: string;
  healthScoreAfter: number | null;
  targetKey: string;
  scope: string;
}

export interface WaitingAction {
  code: string;
  title: string;
  waitingSince: Date;
}

/** A readable name for the target: its base URL (stored without secrets), else its key. */
function targetName(target: unknown, targetKey: string): string {
  const baseUrl = (target as { baseUrl?: unknown } | null)?.baseUrl;
  return typeof baseUrl === "string" && baseUrl ? baseUrl : targetKey;
}

export function runAlertCandidates(
  run: RunFacts,
  previous: PreviousRun | null,
  settings: Pick<AlertSettings, "scoreBelow" | "scoreDrop">,
): AlertCandidate[] {
  // Only a final run's findings count: an active or interrupted run may still fix what it found.
  if (!isFinalRun(run.status)) return [];
  const name = targetName(run.target, run.targetKey);
  const out: AlertCandidate[] = [];
  const alert = (kind: AlertKind, severity: AlertSeverity, subject: string, title: string, message: string) =>
    out.push({ kind, severity, dedupeKey: `${kind}:${subject}`, title, message, runId: run.id });

  if (run.status === "failed") {
    alert("run_failed", "critical", run.targetKey, `Troubleshooting run failed on ${name}`, `The run failed: ${run.statusReason ?? "no reason recorded"}`);
  }

  // One alert per critical code, however many issues share it (one per page, say).
  const critical = new Map<string, { title: string; count: number }>();
  for (const issue of run.issues) {
    if (issue.severity !== "critical" || issue.status === "resolved") continue;
    const seen = critical.get(issue.code);
    critical.set(issue.code, { title: seen?.title ?? issue.title, count: (seen?.count ?? 0) + 1 });
  }
  for (const [code, { title, count }] of critical) {
    const times = count > 1 ? ` (${count} occurrences)` : "";
    alert("critical_issue", "critical", `${run.targetKey}:${code}`, `Critical issue on ${name}: ${title}`, `${code} is still not resolved at the end of the run${times}.`);
  }

  // Scores only mean something for a run that completed its verification.
  const score = run.healthScoreAfter;
  if (run.status === "completed" && score !== null) {
    if (score < settings.scoreBelow) {
      alert("score_below", "warning", run.targetKey, `Health score ${score} on ${name}`, `The health score is ${score}, below the alert threshold of ${settings.scoreBelow}.`);
    }
    const comparable = previous && previous.targetKey === run.targetKey && previous.scope === run.scope;
    const before = comparable ? previous.healthScoreAfter : null;
    if (before != null && before - score > settings.scoreDrop) {
      const kind = scopeLabel(run.scope.split(",") as Domain[]);
      alert("score_drop", "warning", run.targetKey, `Health score dropped ${before - score} points on ${name}`, `The health score fell from ${before} to ${score} since the previous ${kind} run on this target (alert above ${settings.scoreDrop} points).`);
    }
  }
  return out;
}

/** One alert per run for its fix actions left waiting for approval; with `expiresAt`, it says when
 * they are rejected as expired unless someone decides. */
export function approvalCandidate(
  run: { id: string; targetKey: string; target: unknown },
  actions: WaitingAction[],
  now: Date,
  expiresAt?: Date,
): AlertCandidate {
  const oldest = Math.min(...actions.map((a) => a.waitingSince.getTime()));
  const minutes = Math.floor((now.getTime() - oldest) / 60_000);
  const listed = actions.slice(0, 5).map((a) => a.title || a.code).join("; ");
  const more = actions.length > 5 ? ` and ${actions.length - 5} more` : "";
  return {
    kind: "approval_waiting",
    severity: "warning",
    dedupeKey: `approval_waiting:${run.id}`,
    title: `${actions.length} fix action${actions.length === 1 ? "" : "s"} waiting for approval on ${targetName(run.target, run.targetKey)}`,
    message: `Waiting for ${minutes} minutes: ${listed}${more}.${expiresAt ? ` ${expiryNotice(expiresAt, now)}` : ""}`,
    runId: run.id,
  };
}

/** "Unless decided, they are rejected as expired at 2025-01-01T10:00:00Z (in 29 minutes)." */
function expiryNotice(expiresAt: Date, now: Date): string {
  const at = expiresAt.toISOString().replace(/\.\d{3}Z$/, "Z");
  const left = Math.ceil((expiresAt.getTime() - now.getTime()) / 60_000);
  if (left <= 0) return `Their approval expired at ${at}: they are rejected as expired.`;
  return `Unless decided, they are rejected as expired at ${at} (in ${left} minute${left === 1 ? "" : "s"}).`;
}
