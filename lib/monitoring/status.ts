// The comprehensive status: one answer to "how healthy is the platform, and the troubleshooter?" —
// the latest health score with a status per domain, plus the add-on's own parts: its database,
// recent runs, errors of the last 24 hours, alert delivery and the LLM.
import type { PrismaClient } from "../db";
import { checkAppHealth } from "../health/app-health";
import { latestHealth } from "../troubleshooting/queries/overview";
import { type ScoreBand, scoreBand } from "../troubleshooting/workflow/health-score";
import { rangeStart } from "../troubleshooting/queries/history";
import { ACTIVE_RUN_STATUSES, DOMAINS } from "../troubleshooting/report";

type ComponentStatus = ScoreBand;

interface ComponentHealth {
  status: ComponentStatus;
  score?: number | null;
  detail: string;
}

export interface StatusConfiguration {
  llmConfigured: boolean;
  webhookConfigured: boolean;
}

export interface ComprehensiveStatus {
  generatedAt: string;
  /** The latest completed run's health score (0-100), null before the first one. */
  score: number | null;
  status: ComponentStatus;
  components: Record<string, ComponentHealth>;
}

/** `configured`: whether this instance has an LLM key and an alert webhook (its configuration). */
export async function comprehensiveStatus(
  prisma: PrismaClient,
  configured: StatusConfiguration,
): Promise<ComprehensiveStatus> {
  const { llmConfigured, webhookConfigured } = configured;
  const since = rangeStart("24h");
  const read = Promise.all([
    latestHealth(prisma),
    prisma.troubleshootingRun.count({ where: { status: { in: [...ACTIVE_RUN_STATUSES] } } }),
    prisma.troubleshootingRun.findMany({ where: { finishedAt: { not: null } }, orderBy: { startedAt: "desc" }, take: 20, select: { status: true, llm: true, finishedAt: true } }),
    prisma.trackedError.count({ where: { at: { gte: since } } }),
    prisma.alert.count({ where: { createdAt: { gte: since }, status: "failed" } }),
  ]);
  const [app, figures] = await Promise.all([checkAppHealth(prisma), read.catch(() => null)]);
  if (!app.database.reachable || !figures) {
    const detail = "the add-on's database is unreachable: nothing else can be read";
    return { generatedAt: new Date().toISOString(), score: null, status: "critical", components: { addon: { status: "critical", detail } } };
  }
  const [health, active, lastRuns, errors, failedAlerts] = figures;
  const components: Record<string, ComponentHealth> = {};
  for (const domain of DOMAINS) {
    const score = health?.byDomain[domain] ?? null;
    // After a web-only run, the other domains were not looked at: say so, not "not diagnosed".
    const unchecked = health != null && !health.scope.includes(domain);
    const detail = unchecked ? `not checked by the latest run (${health.scopeLabel})` : score == null ? "not diagnosed yet" : `score ${score} in the latest run`;
    components[domain] = { status: scoreBand(score), score, detail };
  }
  components.addon = { status: app.status === "ok" ? "healthy" : "degraded", detail: `database round trip ${app.database.latencyMs} ms` };
  const failed = lastRuns.filter((r) => r.status === "failed" || r.status === "interrupted").length;
  components.runs = {
    status: lastRuns.length === 0 ? "unknown" : failed === 0 ? "healthy" : failed * 2 < lastRuns.length ? "degraded" : "critical",
    detail: lastRuns.length === 0 ? "no run has ended yet" : `${lastRuns.length - failed} of the last ${lastRuns.length} runs finished${active ? `; ${active} in progress` : ""}`,
  };
  // No error in a day when nothing ran says nothing.
  const ranToday = lastRuns.some((r) => r.finishedAt && r.finishedAt >= since);
  components.errors =
    errors > 0
      ? { status: errors < 20 ? "degraded" : "critical", detail: `${errors} error(s) tracked in the last 24 hours` }
      : { status: ranToday ? "healthy" : "unknown", detail: ranToday ? "no error tracked in the last 24 hours" : "no run ended in the last 24 hours" };
  components.alerts = !webhookConfigured
    ? { status: "unknown", detail: "no ALERT_WEBHOOK_URL: alerts are stored and listed, not sent" }
    : { status: failedAlerts === 0 ? "healthy" : "degraded", detail: failedAlerts === 0 ? "no failed alert delivery in the last 24 hours" : `${failedAlerts} alert(s) could not be delivered in the last 24 hours` };
  const judged = lastRuns.filter((r) => typeof (r.llm as { used?: unknown } | null)?.used === "boolean");
  const fallbacks = judged.filter((r) => (r.llm as { used: boolean }).used === false).length;
  components.llm = !llmConfigured
    ? { status: "unknown", detail: "no OPENAI_API_KEY: the rule-based coordinator reasons" }
    : judged.length === 0
      ? { status: "unknown", detail: "no run has used it yet" }
      : { status: fallbacks === 0 ? "healthy" : "degraded", detail: `the rules stood in for the LLM in ${fallbacks} of the last ${judged.length} runs` };
  const score = health?.score ?? null;
  const statuses = [scoreBand(score), ...Object.values(components).map((c) => c.status)];
  // Nothing wrong but never diagnosed is "unknown", not "healthy".
  const status = statuses.includes("critical") ? "critical" : statuses.includes("degraded") ? "degraded" : score == null ? "unknown" : "healthy";
  return { generatedAt: new Date().toISOString(), score, status, components };
}
