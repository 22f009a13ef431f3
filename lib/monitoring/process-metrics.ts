// Figures only this process sees as they happen (an LLM call's latency, a monitored operation's
// time), kept in one prom-client registry per process and appended to every scrape. The figures
// that must add up across serverless instances are derived from the database (metrics.ts).
import { Counter, Histogram, Registry } from "prom-client";
import type { LlmUsage } from "../troubleshooting/report";

const PREFIX = "troubleshooter_process_";

function createProcessMetrics() {
  const registry = new Registry();
  return {
    registry,
    llmCalls: new Counter({ name: `${PREFIX}llm_calls_total`, help: "LLM calls made by this process, by outcome (ok, fallback).", labelNames: ["outcome"], registers: [registry] }),
    llmLatency: new Histogram({ name: `${PREFIX}llm_call_seconds`, help: "LLM call latency in this process.", buckets: [0.25, 0.5, 1, 2, 5, 10, 20, 60], registers: [registry] }),
    llmTokens: new Counter({ name: `${PREFIX}llm_tokens_total`, help: "LLM tokens used by this process, by kind (input, output).", labelNames: ["kind"], registers: [registry] }),
    investigationToolCalls: new Counter({
      name: `${PREFIX}investigation_tool_calls_total`,
      help: "AI investigation tool calls in this process, by tool (\"unknown\" for a name outside the set) and outcome (ok, error, or the refusal: unknown_tool, invalid_arguments, policy, repeated, budget).",
      labelNames: ["tool", "outcome"],
      registers: [registry],
    }),
    investigations: new Counter({
      name: `${PREFIX}investigations_total`,
      help: "AI investigations run by this process, by final status (completed, budget_exhausted, failed).",
      labelNames: ["status"],
      registers: [registry],
    }),
    operations: new Histogram({
      name: `${PREFIX}operation_seconds`,
      help: "Bot operations timed with monitorOperation, by bot, type, operation and outcome.",
      labelNames: ["bot", "type", "operation", "outcome"],
      buckets: [0.01, 0.05, 0.1, 0.5, 1, 5, 10, 30, 60],
      registers: [registry],
    }),
  };
}

// One set per process, surviving Next's module reloads in development.
const globalForMetrics = globalThis as unknown as { troubleshooterProcessMetrics?: ReturnType<typeof createProcessMetrics> };
export function processMetrics() {
  globalForMetrics.troubleshooterProcessMetrics ??= createProcessMetrics();
  return globalForMetrics.troubleshooterProcessMetrics;
}

export function observeLlmCall(outcome: "ok" | "fallback", usage: LlmUsage): void {
  const m = processMetrics();
  m.llmCalls.inc({ outcome });
  m.llmLatency.observe(usage.latencyMs / 1000);
  if (usage.inputTokens) m.llmTokens.inc({ kind: "input" }, usage.inputTokens);
  if (usage.outputTokens) m.llmTokens.inc({ kind: "output" }, usage.outputTokens);
}
