// Prometheus metrics, derived from the database on every scrape: serverless instances share no
// memory, so run, check and fix figures must come from where every instance writes them.
import { Counter, Gauge, Histogram, Registry } from "prom-client";
import type { PrismaClient } from "../db";
import { ACTIVE_RUN_STATUSES } from "../troubleshooting/report";
import { OPERATION_METRIC } from "./operations";
import { processMetrics } from "./process-metrics";

const PREFIX = "troubleshooter_";

export async function metricsText(prisma: PrismaClient): Promise<{ text: string; contentType: string }> {
  const registry = new Registry();
  const [runs, durations, issues, checks, actions, llm, latest, errors, alerts, operations, timings, investigations] = await Promise.all([
    prisma.troubleshootingRun.groupBy({ by: ["status", "trigger"], _count: { _all: true } }),
    prisma.troubleshootingRun.findMany({ where: { durationMs: { not: null } }, select: { durationMs: true } }),
    prisma.issue.groupBy({ by: ["domain", "severity", "code"], _count: { _all: true } }),
    prisma.$queryRaw<{ code: string; status: string; n: bigint }[]>`
      SELECT c->>'code' AS code, c->>'status' AS status, count(*) AS n
      FROM troubleshooter."TroubleshootingRun" r, jsonb_array_elements(CASE WHEN jsonb_typeof(r.checks) = 'array' THEN r.checks ELSE '[]'::jsonb END) c
      GROUP BY 1, 2`,
    prisma.fixAction.groupBy({ by: ["code", "status"], _count: { _all: true } }),
    prisma.$queryRaw<{ used: bigint; fallbacks: bigint; calls: number | null; seconds: number | null; input: number | null; output: number | null }[]>`
      SELECT count(*) FILTER (WHERE llm->>'used' = 'true') AS used, count(*) FILTER (WHERE llm->>'fallbackReason' IS NOT NULL) AS fallbacks,
        sum((llm->'usage'->>'calls')::float) AS calls, sum((llm->'usage'->>'latencyMs')::float) / 1000 AS seconds,
        sum((llm->'usage'->>'inputTokens')::float) AS input, sum((llm->'usage'->>'outputTokens')::float) AS output
      FROM troubleshooter."TroubleshootingRun"`,
    prisma.troubleshootingRun.findFirst({ where: { status: "completed", healthScoreAfter: { not: null } }, orderBy: { startedAt: "desc" }, select: { healthScoreAfter: true } }),
    prisma.trackedError.groupBy({ by: ["category", "source"], _count: { _all: true } }),
    prisma.alert.groupBy({ by: ["kind", "status"], _count: { _all: true } }),
    prisma.$queryRaw<{ bot: string; type: string; operation: string; outcome: string; n: bigint; seconds: number }[]>`
      SELECT labels->>'botName' AS bot, labels->>'botType' AS type, labels->>'operation' AS operation, labels->>'outcome' AS outcome,
        count(*) AS n, sum(value) / 1000 AS seconds
      FROM troubleshooter."MetricSample" WHERE name = ${OPERATION_METRIC} GROUP BY 1, 2, 3, 4`,
    // Phase and bot timings come from the per-day rollup, not from every run event.
    prisma.historyDaily.groupBy({ by: ["kind", "key"], where: { kind: { in: ["phase", "bot"] } }, _sum: { count: true, sum: true } }),
    // The AI investigations' outcomes and cost, from each run's record (investigation/schema.ts).
    prisma.$queryRaw<{ status: string; n: bigint; models: number | null; tools: number | null; input: number | null; output: number | null; seconds: number | null }[]>`
      SELECT investigation->>'status' AS status, count(*) AS n, sum((investigation->'cost'->>'modelCalls')::float) AS models,
        sum((investigation->'cost'->>'toolCalls')::float) AS tools, sum((investigation->'cost'->>'inputTokens')::float) AS input,
        sum((investigation->'cost'->>'outputTokens')::float) AS output, sum((investigation->'cost'->>'durationMs')::float) / 1000 AS seconds
      FROM troubleshooter."TroubleshootingRun" WHERE investigation IS NOT NULL GROUP BY 1`,
  ]);
  const counter = (name: string, help: string, labelNames: string[] = []) => new Counter({ name: PREFIX + name, help, labelNames, registers: [registry] });
  const gauge = (name: string, help: string) => new Gauge({ name: PREFIX + name, help, registers: [registry] });

  const runsTotal = counter("runs_total", "Troubleshooting runs by status and trigger.", ["status", "trigger"]);
  for (const r of runs) runsTotal.inc({ status: r.status, trigger: r.trigger }, r._count._all);
  gauge("runs_active", "Runs queued, running or awaiting approval.").set(
    runs.filter((r) => (ACTIVE_RUN_STATUSES as readonly string[]).includes(r.status)).reduce((n, r) => n + r._count._all, 0),
  );
  const duration = new Histogram({ name: `${PREFIX}run_duration_seconds`, help: "Wall time of ended runs.", buckets: [1, 2, 5, 10, 30, 60, 120, 300, 600], registers: [registry] });
  for (const r of durations) duration.observe((r.durationMs ?? 0) / 1000);
  const issuesTotal = counter("issues_total", "Issues found, by domain, severity and check code.", ["domain", "severity", "code"]);
  for (const i of issues) issuesTotal.inc({ domain: i.domain, severity: i.severity, code: i.code }, i._count._all);
  const checksTotal = counter("check_outcomes_total", "Check results by code and outcome (passed, issues, skipped, error).", ["code", "outcome"]);
  for (const c of checks) checksTotal.inc({ code: c.code, outcome: c.status }, Number(c.n));
  const actionsTotal = counter("fix_actions_total", "Fix actions by code and status.", ["code", "status"]);
  for (const a of actions) actionsTotal.inc({ code: a.code, status: a.status }, a._count._all);
  counter("llm_runs_total", "Runs in which the LLM reasoned.").inc(Number(llm[0]?.used ?? 0));
  counter("llm_fallbacks_total", "Runs in which the rule-based coordinator stood in for the LLM.").inc(Number(llm[0]?.fallbacks ?? 0));
  const usage = llm[0];
  counter("llm_calls_total", "LLM calls made by runs.").inc(usage?.calls ?? 0);
  counter("llm_call_seconds_total", "Total wall time of runs' LLM calls.").inc(usage?.seconds ?? 0);
  const tokens = counter("llm_tokens_total", "LLM tokens used by runs, by kind.", ["kind"]);
  tokens.inc({ kind: "input" }, usage?.input ?? 0);
  tokens.inc({ kind: "output" }, usage?.output ?? 0);
  const investigationsTotal = counter("investigations_total", "AI investigations by status (completed, budget_exhausted, failed, not_run).", ["status"]);
  const investigationModelCalls = counter("investigation_model_calls_total", "Model calls of AI investigations.");
  const investigationToolCalls = counter("investigation_tool_calls_total", "Tool calls of AI investigations (refused ones included).");
  const investigationTokens = counter("investigation_tokens_total", "Tokens used by AI investigations, by kind.", ["kind"]);
  const investigationSeconds = counter("investigation_seconds_total", "Total wall time of AI investigations.");
  for (const i of investigations) {
    investigationsTotal.inc({ status: i.status }, Number(i.n));
    investigationModelCalls.inc(i.models ?? 0);
    investigationToolCalls.inc(i.tools ?? 0);
    investigationTokens.inc({ kind: "input" }, i.input ?? 0);
    investigationTokens.inc({ kind: "output" }, i.output ?? 0);
    investigationSeconds.inc(i.seconds ?? 0);
  }
  const errorsTotal = counter("errors_total", "Errors met by the troubleshooting system, by category and source.", ["category", "source"]);
  for (const e of errors) errorsTotal.inc({ category: e.category, source: e.source }, e._count._all);
  const alertsTotal = counter("alerts_total", "Alerts raised, by kind and delivery status.", ["kind", "status"]);
  for (const a of alerts) alertsTotal.inc({ kind: a.kind, status: a.status }, a._count._all);
  const timers = {
    phase: [counter("phase_duration_seconds_total", "Total time spent in each phase by ended runs.", ["phase"]), counter("phase_completions_total", "Phases completed by ended runs.", ["phase"])],
    bot: [counter("bot_duration_seconds_total", "Total time of each diagnostic bot in ended runs.", ["bot"]), counter("bot_runs_total", "Diagnostic bot runs in ended runs.", ["bot"])],
  } as const;
  for (const t of timings) {
    const [seconds, completions] = timers[t.kind as keyof typeof timers];
    seconds.inc({ [t.kind]: t.key }, (t._sum.sum ?? 0) / 1000);
    completions.inc({ [t.kind]: t.key }, t._sum.count ?? 0);
  }
  const operationLabels = ["bot", "type", "operation", "outcome"];
  const operationsTotal = counter("operations_total", "Bot operations timed with monitorOperation.", operationLabels);
  const operationSeconds = counter("operation_seconds_total", "Total time of bot operations timed with monitorOperation.", operationLabels);
  for (const o of operations) {
    const labels = { bot: o.bot, type: o.type, operation: o.operation, outcome: o.outcome };
    operationsTotal.inc(labels, Number(o.n));
    operationSeconds.inc(labels, o.seconds);
  }
  if (latest?.healthScoreAfter != null) gauge("health_score", "Health score (0-100) of the latest completed run.").set(latest.healthScoreAfter);
  const merged = Registry.merge([registry, processMetrics().registry]);
  return { text: await merged.metrics(), contentType: registry.contentType };
}
