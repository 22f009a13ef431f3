// How an AI investigation reads, shared by the run page, the Markdown export and the CLI: its
// outcome in words, its cost on one line, each tool call's outcome. Plain strings: each caller
// escapes the target-controlled parts (reasons, arguments, results) for where they go.
import type { Investigation, InvestigationCost, Refusal, ToolCallRecord } from "./investigation/schema";

const REFUSAL_WORDS: Record<Refusal, string> = {
  unknown_tool: "not an offered tool",
  invalid_arguments: "invalid arguments",
  policy: "policy",
  repeated: "repeats an earlier call",
  budget: "over the tool-call budget",
};

/** The investigation's outcome: "Concluded", "Stopped: <reason>", "Not run: <reason>",
 * "Failed: <reason>", "Investigating…". The reason is the record's own words (target-free). */
export function investigationStatusText(record: Pick<Investigation, "status" | "reason">): string {
  switch (record.status) {
    case "completed":
      return "Concluded";
    case "running":
      return "Investigating…";
    case "budget_exhausted":
      return `Stopped: ${record.reason ?? "budget spent"}`;
    case "failed":
      return `Failed: ${record.reason ?? "the model's answer could not be used"}`;
    case "not_run":
      return `Not run: ${record.reason ?? "no reason recorded"}`;
  }
}

const plural = (n: number, word: string) => `${n.toLocaleString("en-US")} ${word}${n === 1 ? "" : "s"}`;

/** Milliseconds as "850 ms" or "2.4 s". */
export const durationText = (ms: number): string => (ms < 1_000 ? `${Math.round(ms)} ms` : `${(ms / 1_000).toFixed(1)} s`);

/** "3 model calls · 2 tool calls · 1,234 tokens in / 56 out · 2.4 s". */
export function costText(cost: InvestigationCost): string {
  return [
    plural(cost.modelCalls, "model call"),
    plural(cost.toolCalls, "tool call"),
    `${cost.inputTokens.toLocaleString("en-US")} tokens in / ${cost.outputTokens.toLocaleString("en-US")} out`,
    durationText(cost.durationMs),
  ].join(" · ");
}

/** A call's outcome: "ok", "refused (not an offered tool): <reason>", "error: <reason>". The reason
 * may quote the model or the target: escape it where it goes. */
export function toolCallOutcome(call: Pick<ToolCallRecord, "status" | "refusal" | "reason">): string {
  if (call.status === "ok") return "ok";
  const reason = call.reason ? `: ${call.reason}` : "";
  if (call.status === "error") return `error${reason}`;
  return `refused${call.refusal ? ` (${REFUSAL_WORDS[call.refusal]})` : ""}${reason}`;
}

/** The arguments as compact JSON (what the model sent, as recorded). */
export function argsText(args: unknown): string {
  if (args === undefined) return "{}";
  try {
    return JSON.stringify(args) ?? String(args);
  } catch {
    return String(args);
  }
}

/** The recorded result (JSON text, maybe truncated) indented for reading; as is when it is not
 * JSON (a truncated result is not). */
export function resultText(result: string | undefined): string {
  if (result === undefined) return "";
  try {
    return JSON.stringify(JSON.parse(result), null, 2);
  } catch {
    return result;
  }
}

/** Tool calls as the page shows them while the run goes on: the record's calls, then those the
 * event stream brought that the record does not have yet (by id, in order). */
export function mergeToolCalls(recorded: readonly ToolCallRecord[], live: readonly ToolCallRecord[]): ToolCallRecord[] {
  const ids = new Set(recorded.map((c) => c.id));
  return [...recorded, ...live.filter((c) => !ids.has(c.id))];
}

/** What the event stream has told of an investigation: that it started (on which issues, with
 * which model and tools), the calls made so far, and the record it ended with (`completed`, until
 * the refreshed report has it too). */
export interface LiveInvestigation {
  started: { issueIds: string[]; model?: string; tools: string[] } | null;
  calls: ToolCallRecord[];
  completed?: Investigation;
}

export const NO_LIVE_INVESTIGATION: LiveInvestigation = { started: null, calls: [] };
