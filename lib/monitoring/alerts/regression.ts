// The regression alert: an issue an admin (or a run that no longer saw it) resolved is back.
// Raised by the grouping step (lib/issues/grouping.ts) once per return: its dedupe key names the
// group and how many times it has come back, so a later sighting of the same return is no alert.
import type { AlertCandidate } from "./rules";

export interface RegressionFacts {
  run: { id: string; targetKey: string; target: unknown };
  /** The target's name as the dashboard calls it ("default" or a stored target's name), if known. */
  targetName?: string | null;
  group: { groupId: string; code: string; subject: string; title: string; severity: string; regressions: number };
}

export function regressionCandidate({ run, targetName, group }: RegressionFacts): AlertCandidate {
  const baseUrl = (run.target as { baseUrl?: unknown } | null)?.baseUrl;
  const where = typeof baseUrl === "string" && baseUrl ? baseUrl : run.targetKey;
  const name = targetName ? `${targetName} (${where})` : where;
  const subject = group.subject ? ` (${group.subject})` : "";
  const again = group.regressions > 1 ? ` It has come back ${group.regressions} times.` : "";
  return {
    kind: "regression",
    severity: group.severity === "critical" || group.severity === "high" ? "critical" : "warning",
    dedupeKey: `regression:${group.groupId}:${group.regressions}`,
    title: `Regression on ${name}: ${group.title}`,
    message: `${group.code}${subject} was resolved and is seen again by run ${run.id} on ${name}.${again}`,
    runId: run.id,
  };
}
