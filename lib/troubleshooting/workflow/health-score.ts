// Health score, 0-100 per domain and overall (documented in README):
//   domain = max(0, 100 - Σ penalty(severity) over its open issues - 5 × checks that could not run)
//   overall = rounded mean of the domains the run covered.
// An issue stops counting once verification shows it resolved, and does not count when an admin
// ignored its issue across runs (lib/issues: same target, check and subject).
import type { CheckResult, Domain, Severity } from "../report";

const SEVERITY_PENALTY: Record<Severity, number> = { critical: 40, high: 20, medium: 10, low: 3, info: 0 };
const UNKNOWN_PENALTY = 5;

export type ScoreBand = "healthy" | "degraded" | "critical" | "unknown";
/** How a score reads, everywhere it is shown: 90+ healthy, 70-89 degraded, below 70 critical. */
export const scoreBand = (score: number | null | undefined): ScoreBand =>
  score == null ? "unknown" : score >= 90 ? "healthy" : score >= 70 ? "degraded" : "critical";

export interface ScoredIssue {
  domain: Domain;
  severity: Severity;
  status: string;
  /** Its issue across runs is ignored: no penalty (the report lists it as ignored). */
  ignored?: boolean;
}

export interface HealthScores {
  overall: number | null;
  byDomain: Partial<Record<Domain, number>>;
}

export function healthScores(domains: readonly Domain[], issues: readonly ScoredIssue[], checks: readonly CheckResult[]): HealthScores {
  const byDomain: Partial<Record<Domain, number>> = {};
  for (const domain of domains) {
    const penalty =
      issues.filter((i) => i.domain === domain && i.status !== "resolved" && !i.ignored).reduce((sum, i) => sum + SEVERITY_PENALTY[i.severity], 0) +
      checks.filter((c) => c.domain === domain && c.status === "error").length * UNKNOWN_PENALTY;
    byDomain[domain] = Math.max(0, 100 - penalty);
  }
  const values = Object.values(byDomain);
  const overall = values.length ? Math.round(values.reduce((a, b) => a + b, 0) / values.length) : null;
  return { overall, byDomain };
}
