// The investigator agent: a LangGraph subgraph of two nodes looping
//
//   START → model ─┬─(tool calls)→ tools → model …
//                  └─(an answer, or a bound hit)→ END
//
// `model` asks the chat model (tools bound, or none once the tool budget is spent) and stops at
// the token budget and the cap on model turns; `tools` puts each call the model asked for through
// the guard. Compiled without a checkpointer (checkpointer: false, so it does not inherit the
// run's): its messages carry tool results and live only while the investigate node runs.
import type { BaseChatModel } from "@langchain/core/language_models/chat_models";
import { AIMessage, type BaseMessage, HumanMessage, SystemMessage, ToolMessage } from "@langchain/core/messages";
import { Annotation, END, START, StateGraph } from "@langchain/langgraph";
import { z } from "zod";
import { observeLlmCall } from "../../monitoring/process-metrics";
import { callFailure, isTimeout } from "../workflow/reasoner";
import type { RawToolCall, ToolGuard } from "./guard";
import { FINAL_ANSWER_REQUEST, INVESTIGATOR_SYSTEM } from "./prompt";
import type { InvestigationTool } from "./tools/tool";

/** How the loop ended: with the model's final answer (text), or why not. */
export type AgentOutcome =
  | { kind: "answer"; text: string; afterBudget: boolean }
  | { kind: "budget_exhausted"; reason: string }
  | { kind: "failed"; reason: string };

export interface AgentUsage {
  modelCalls: number;
  inputTokens: number;
  outputTokens: number;
}

export interface AgentOptions {
  model: BaseChatModel;
  /** The tools offered (their `args` become the JSON schemas the model sees). */
  tools: readonly InvestigationTool<never>[];
  guard: ToolGuard;
  /** The first user message (task and `Input:` JSON). */
  task: string;
  maxToolCalls: number;
  /** Input + output tokens over all model calls; none starts once they are spent. */
  maxTokens: number;
  /** The run's signal: a cancelled run stops the model call in flight. */
  signal: AbortSignal;
}

const AgentState = Annotation.Root({
  messages: Annotation<BaseMessage[]>({ reducer: (a, b) => a.concat(b), default: () => [] }),
  /** The calls of the model's last turn, for the tools node. */
  pending: Annotation<RawToolCall[]>({ reducer: (_, next) => next, default: () => [] }),
  /** The model was asked for its answer without tools (the tool budget was spent). */
  finalAsked: Annotation<boolean>({ reducer: (_, next) => next, default: () => false }),
  outcome: Annotation<AgentOutcome | null>({ reducer: (_, next) => next, default: () => null }),
});
type AgentStateValue = typeof AgentState.State;

/** A tool as the OpenAI API is offered it: name, description, JSON schema of its arguments. */
export function toolDefinition(tool: InvestigationTool<never>) {
  const parameters = z.toJSONSchema(tool.args, { io: "input" }) as Record<string, unknown>;
  delete parameters.$schema; // the API wants the object schema itself
  return { type: "function" as const, function: { name: tool.name, description: tool.description, parameters } };
}

/** The calls of a reply in the order the model made them, with their raw argument text (the
 * OpenAI client keeps it in additional_kwargs; other clients give parsed and invalid calls). */
export function rawToolCalls(reply: AIMessage): RawToolCall[] {
  const raw = reply.additional_kwargs?.tool_calls;
  if (Array.isArray(raw) && raw.length > 0) {
    return raw.map((call, i) => ({ callId: call.id ?? `call_${i}`, name: call.function?.name ?? "", arguments: call.function?.arguments ?? "" }));
  }
  return [
    ...(reply.tool_calls ?? []).map((call, i) => ({ callId: call.id ?? `call_${i}`, name: call.name, arguments: JSON.stringify(call.args) })),
    ...(reply.invalid_tool_calls ?? []).map((call, i) => ({ callId: call.id ?? `invalid_${i}`, name: call.name ?? "", arguments: call.args ?? "" })),
  ];
}

/** The reply as it goes back into the conversation: every call it made (those whose arguments
 * did not parse with empty ones), so that each tool message answers a call the API knows. */
function historyMessage(reply: AIMessage, calls: readonly RawToolCall[]): AIMessage {
  return new AIMessage({
    content: reply.content,
    tool_calls: calls.map((call) => ({ id: call.callId, name: call.name, args: parsedObject(call.arguments), type: "tool_call" as const })),
  });
}

function parsedObject(text: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(text);
    return value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

const textOf = (reply: AIMessage): string => (typeof reply.content === "string" ? reply.content : JSON.stringify(reply.content));

/** The model's turn cap: every tool call could take a turn of its own, plus the first, the final
 * answer after the budget, and one to spare. */
export const maxModelTurns = (maxToolCalls: number) => maxToolCalls + 3;

/** Runs the loop to its end. Never throws for the model's or the tools' failures (they are the
 * outcome); rethrows a cancelled run's abort. */
export async function runAgent(options: AgentOptions): Promise<{ outcome: AgentOutcome; usage: AgentUsage }> {
  const { model, guard, signal } = options;
  const usage: AgentUsage = { modelCalls: 0, inputTokens: 0, outputTokens: 0 };
  const maxTurns = maxModelTurns(options.maxToolCalls);
  const definitions = options.tools.map(toolDefinition);
  const modelTimeout = (model as { timeout?: unknown }).timeout;

  async function modelNode(state: AgentStateValue): Promise<Partial<AgentStateValue>> {
    const spent = usage.inputTokens + usage.outputTokens;
    if (spent >= options.maxTokens) {
      return { outcome: { kind: "budget_exhausted", reason: `the token budget was spent: ${spent} of ${options.maxTokens} tokens over ${usage.modelCalls} model calls` } };
    }
    if (guard.budgetSpent && state.finalAsked) {
      return { outcome: { kind: "budget_exhausted", reason: `the tool-call budget (${options.maxToolCalls} calls) was spent and the model asked for more tools instead of concluding` } };
    }
    if (usage.modelCalls >= maxTurns) {
      return { outcome: { kind: "budget_exhausted", reason: `no conclusion after ${usage.modelCalls} model calls (at most ${maxTurns})` } };
    }
    const finalTurn = guard.budgetSpent;
    const ask = finalTurn && !state.finalAsked ? [new HumanMessage(FINAL_ANSWER_REQUEST)] : [];
    const messages = [...state.messages, ...ask];
    if (!finalTurn && !model.bindTools) return { outcome: { kind: "failed", reason: "the model does not support tool calls" } };
    const runnable = finalTurn ? model : model.bindTools!(definitions);
    const started = performance.now();
    usage.modelCalls++;
    let reply: AIMessage;
    try {
      reply = (await runnable.invoke(messages, { signal })) as AIMessage;
    } catch (err) {
      if (signal.aborted) throw err;
      observeLlmCall("fallback", { calls: 1, latencyMs: Math.round(performance.now() - started), inputTokens: 0, outputTokens: 0 });
      const reason = isTimeout(err) ? `the model call timed out${typeof modelTimeout === "number" ? ` (after ${modelTimeout} ms)` : ""}` : `the model call failed (${callFailure(err)})`;
      return { outcome: { kind: "failed", reason } };
    }
    const inputTokens = reply.usage_metadata?.input_tokens ?? 0;
    const outputTokens = reply.usage_metadata?.output_tokens ?? 0;
    usage.inputTokens += inputTokens;
    usage.outputTokens += outputTokens;
    observeLlmCall("ok", { calls: 1, latencyMs: Math.round(performance.now() - started), inputTokens, outputTokens });
    const calls = rawToolCalls(reply);
    if (calls.length === 0) return { messages: [...ask, reply], outcome: { kind: "answer", text: textOf(reply), afterBudget: finalTurn } };
    return { messages: [...ask, historyMessage(reply, calls)], pending: calls, finalAsked: state.finalAsked || finalTurn };
  }

  async function toolsNode(state: AgentStateValue): Promise<Partial<AgentStateValue>> {
    const answers: ToolMessage[] = [];
    // One at a time: ids follow the order of the calls, and the budget is counted as they come.
    for (const call of state.pending) {
      const { content } = await guard.call(call);
      answers.push(new ToolMessage({ content, tool_call_id: call.callId }));
    }
    if (signal.aborted) throw signal.reason;
    return { messages: answers, pending: [] };
  }

  const graph = new StateGraph(AgentState)
    .addNode("model", modelNode)
    .addNode("tools", toolsNode)
    .addEdge(START, "model")
    .addConditionalEdges("model", (state: AgentStateValue) => (state.outcome ? END : "tools"), ["tools", END])
    .addEdge("tools", "model")
    .compile({ checkpointer: false });

  const final = await graph.invoke(
    { messages: [new SystemMessage(INVESTIGATOR_SYSTEM), new HumanMessage(options.task)] },
    // Two steps per turn, and room for the last; the bounds above end it well before.
    { recursionLimit: 2 * maxTurns + 5, signal },
  );
  return { outcome: final.outcome ?? { kind: "failed", reason: "the investigation ended without an outcome" }, usage };
}
