// One investigation, start to record: offers the available tools, runs the agent under the guard
// and the budgets, and turns its answer into kept and dropped claims. What the investigate node
// calls; it owns no storage (the node stores the record and emits the events).
import type { BaseChatModel } from "@langchain/core/language_models/chat_models";
import { processMetrics } from "../../monitoring/process-metrics";
import type { FixActionDef } from "../catalogue";
import type { InvestigationSettings } from "../workflow/deps";
import { runAgent } from "./agent";
import { concludeFrom } from "./conclusion";
import { createToolGuard } from "./guard";
import { type IssueBrief, investigatorTask } from "./prompt";
import type { Redactor } from "./redaction";
import { EMPTY_COST, type Investigation, type ToolCallRecord } from "./schema";
import type { InvestigationTool, ToolContext } from "./tools/tool";

export interface InvestigationInput {
  /** Loads the chat model (chatModelFromEnv's loader). */
  load: () => Promise<BaseChatModel>;
  modelName: string;
  /** The issues it is asked about, most important first. */
  issues: readonly IssueBrief[];
  /** The registry (INVESTIGATION_TOOLS); those unavailable on this run are not offered. */
  tools: readonly InvestigationTool<never>[];
  context: Omit<ToolContext, "signal">;
  settings: InvestigationSettings;
  fixes: readonly FixActionDef<never>[];
  redactor: Redactor;
  /** The run's signal (cancel). */
  signal: AbortSignal;
  /** Called once the tools are known, before the first model call. */
  onStart?(tools: string[]): Promise<void>;
  /** Called with each tool call's record as soon as it is decided. */
  onToolCall?(record: ToolCallRecord): Promise<void>;
}

/** The tools this run can use: those whose `unavailable` says nothing against it. */
export function offeredTools(tools: readonly InvestigationTool<never>[], context: Omit<ToolContext, "signal">): InvestigationTool<never>[] {
  return tools.filter((tool) => !tool.unavailable?.(context));
}

/** The investigation's record (status completed, budget_exhausted or failed). Throws only when
 * the run is cancelled (the signal's reason) or a callback fails (the run's own store). */
export async function investigate(input: InvestigationInput): Promise<Investigation> {
  const started = performance.now();
  const tools = offeredTools(input.tools, input.context);
  const guard = createToolGuard({
    tools,
    context: input.context,
    signal: input.signal,
    toolTimeoutMs: input.settings.toolTimeoutMs,
    maxToolCalls: input.settings.maxToolCalls,
    redactor: input.redactor,
    onRecord: input.onToolCall,
  });
  const base = { model: input.modelName, issueIds: input.issues.map((issue) => issue.id) };
  await input.onStart?.(tools.map((tool) => tool.name));
  const finish = (record: Omit<Investigation, "model" | "issueIds" | "toolCalls" | "cost">, usage = { modelCalls: 0, inputTokens: 0, outputTokens: 0 }): Investigation => {
    processMetrics().investigations.inc({ status: record.status });
    return {
      ...base,
      ...record,
      toolCalls: guard.records,
      cost: { ...EMPTY_COST, ...usage, toolCalls: guard.records.length, durationMs: Math.round(performance.now() - started) },
    };
  };

  let model: BaseChatModel;
  try {
    model = await input.load();
  } catch (err) {
    return finish({ status: "failed", reason: `the model could not be loaded (${err instanceof Error ? err.name : "error"})`, claims: [], dropped: [] });
  }
  const budget = { toolCalls: input.settings.maxToolCalls, tokens: input.settings.maxTokens };
  const { outcome, usage } = await runAgent({
    model,
    tools,
    guard,
    task: investigatorTask(input.issues, budget, input.redactor),
    maxToolCalls: input.settings.maxToolCalls,
    maxTokens: input.settings.maxTokens,
    signal: input.signal,
  });
  if (outcome.kind !== "answer") return finish({ status: outcome.kind, reason: outcome.reason, claims: [], dropped: [] }, usage);
  const conclusion = concludeFrom(outcome.text, { issues: input.context.issues, calls: guard.records, fixes: input.fixes });
  if (!conclusion.ok) return finish({ status: "failed", reason: conclusion.reason, claims: [], dropped: [] }, usage);
  // Claims and dropped claims are the model's words about redacted results; redacted again all the
  // same (they are shown and exported).
  const claims = conclusion.claims.map((claim) => ({ ...claim, rootCause: input.redactor.text(claim.rootCause) }));
  const dropped = conclusion.dropped.map((d) => ({ ...d, rootCause: input.redactor.text(d.rootCause) }));
  const reason = outcome.afterBudget ? `concluded after its tool-call budget (${input.settings.maxToolCalls} calls) was spent` : undefined;
  return finish({ status: "completed", ...(reason ? { reason } : {}), claims, dropped }, usage);
}

