// The comprehensive status: one answer to "how healthy is the platform, and the troubleshooter?" —
// the latest health score with a status per domain, plus the add-on's own parts: its database,
// recent runs, errors of the last 24 hours, alert delivery and the LLM.
import type { PrismaClient } from "../db";
import { checkAppHealth } from "../health/app-health";
import { overview } from "../troubleshooting/dashboard";
import { DOMAINS } from "../troubleshooting/report";

export type ComponentStatus = "healthy" | "degraded" | "critical" | "unknown";

export interface ComponentHealth {
  status: ComponentStatus;
  score?: number | null;
  detail: string;
}

export interface ComprehensiveStatus {
  generatedAt: string;
  /** The latest completed run's health score (0-100), null before the first one. */
  score: number | null;
  status: ComponentStatus;
  components: Record<string, ComponentHealth>;
}

const DAY_MS = 24 * 60 * 60_000;

export const statusOfScore = (score: number | null | undefined): ComponentStatus =>
  score == null ? "unknown" : score >= 80 ? "healthy" : score >= 50 ? "degraded" : "critical";

export async function comprehensiveStatus(prisma: PrismaClient, options: { llmConfigured?: boolean } = {}): Promise<ComprehensiveStatus> {
  const app = await checkAppHealth(prisma);
  if (!app.database.reachable) {
    const detail = "the add-on's database is unreachable: nothing else can be read";
    return { generatedAt: new Date().toISOString(), score: null, status: "critical", components: { addon: { status: "critical", detail } } };
  }
  const since = new Date(Date.now() - DAY_MS);
  const [summary, lastRuns, errors, failedAlerts] = await Promise.all([
    overview(prisma),
    prisma.troubleshootingRun.findMany({ where: { finishedAt: { not: null } }, orderBy: { startedAt: "desc" }, take: 20, select: { status: true, llm: true } }),
    prisma.trackedError.count({ where: { at: { gte: since } } }),
    prisma.alert.count({ where: { createdAt: { gte: since }, status: "failed" } }),
  ]);
  const components: Record<string, ComponentHealth> = {};
  for (const domain of DOMAINS) {
    const score = summary.health?.byDomain[domain] ?? null;
    components[domain] = { status: statusOfScore(score), score, detail: score == null ? "not diagnosed yet" : `score ${score} in the latest run` };
  }
  components.addon = { status: app.status === "ok" ? "healthy" : "degraded", detail: `database round trip ${app.database.latencyMs} ms` };
  const failed = lastRuns.filter((r) => r.status === "failed" || r.status === "interrupted").length;
  components.runs = {
    status: lastRuns.length === 0 ? "unknown" : failed === 0 ? "healthy" : failed * 2 < lastRuns.length ? "degraded" : "critical",
    detail: lastRuns.length === 0 ? "no run has ended yet" : `${lastRuns.length - failed} of the last ${lastRuns.length} runs finished${summary.active ? "; one is in progress" : ""}`,
  };
  components.errors = { status: errors === 0 ? "healthy" : errors < 20 ? "degraded" : "critical", detail: `${errors} error(s) tracked in the last 24 hours` };
  components.alerts = { status: failedAlerts === 0 ? "healthy" : "degraded", detail: failedAlerts === 0 ? "no failed alert delivery in the last 24 hours" : `${failedAlerts} alert(s) could not be delivered in the last 24 hours` };
  const fallbacks = lastRuns.filter((r) => (r.llm as { used?: boolean } | null)?.used === false).length;
  components.llm = options.llmConfigured
    ? { status: fallbacks === 0 ? "healthy" : "degraded", detail: `the rules stood in for the LLM in ${fallbacks} of the last ${lastRuns.length} runs` }
    : { status: "unknown", detail: "no OPENAI_API_KEY: the rule-based coordinator reasons" };
  const score = summary.health?.score ?? null;
  const statuses = [statusOfScore(score), ...Object.values(components).map((c) => c.status)];
  // Nothing wrong but never diagnosed is "unknown", not "healthy".
  const status = statuses.includes("critical") ? "critical" : statuses.includes("degraded") ? "degraded" : score == null ? "unknown" : "healthy";
  return { generatedAt: new Date().toISOString(), score, status, components };
}
