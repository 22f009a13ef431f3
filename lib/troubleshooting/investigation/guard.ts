// Every tool call the model asks for goes through the guard, which decides its outcome: refused
// (budget, unknown tool, invalid arguments, a repeat, the tool's own policy), an error (its
// message, or the per-call timeout), or ok with its result redacted and truncated. Each outcome is
// a ToolCallRecord with the next id (T1, T2… in call order, refused ones included), and the text
// the model is told in the tool message.
import type { z } from "zod";
import { processMetrics } from "../../monitoring/process-metrics";
import type { Refusal, ToolCallRecord } from "./schema";
import type { InvestigationTool, ToolContext } from "./tools/tool";
import { ToolRefusedError } from "./tools/tool";
import { type Redactor, redactedJson } from "./redaction";

/** One call as the model sent it: the arguments are its raw text (they may not be JSON). */
export interface RawToolCall {
  /** The API's id of the call (the tool message answers it). */
  callId: string;
  name: string;
  arguments: string;
}

export interface GuardOptions {
  /** The tools offered on this run (those whose `unavailable` said null). */
  tools: readonly InvestigationTool<never>[];
  context: Omit<ToolContext, "signal">;
  /** The run's signal (cancel); each call also gets its own timeout. */
  signal: AbortSignal;
  toolTimeoutMs: number;
  /** Calls asked for beyond this many (refused ones included) are refused as "budget". */
  maxToolCalls: number;
  redactor: Redactor;
  /** Called with each record as soon as it is decided (the run's event). */
  onRecord?(record: ToolCallRecord): Promise<void>;
}

export interface GuardedCall {
  record: ToolCallRecord;
  /** The tool message's content: `{"id","tool","status","result"|"reason"}` as JSON text. */
  content: string;
}

// What the model sent is recorded this long at most: arguments (as JSON text) and a tool name
// (one outside the set may be anything).
const MAX_RAW_ARGS_CHARS = 1_000;
const MAX_TOOL_NAME_CHARS = 100;

const cut = (text: string, max: number) => (text.length > max ? `${text.slice(0, max)}…` : text);

/** The arguments as recorded: redacted, and as (cut) text when their JSON is too long. */
function recordedArgs(args: unknown, redactor: Redactor): unknown {
  const value = redactor.value(args);
  const json = JSON.stringify(value) ?? "null";
  return json.length > MAX_RAW_ARGS_CHARS ? cut(json, MAX_RAW_ARGS_CHARS) : value;
}

/** JSON with object keys sorted, so that {a,b} and {b,a} are the same call. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}

/** "field: message; …" naming each failing argument (zod 4 issues). */
function argumentProblems(error: z.ZodError): string {
  return error.issues.map((issue) => `${issue.path.length ? issue.path.join(".") : "arguments"}: ${issue.message}`).join("; ");
}

class CallTimeoutError extends Error {
  constructor(ms: number) {
    super(`timed out after ${ms} ms`);
    this.name = "CallTimeoutError";
  }
}

/** Runs `work` until it settles or `signal` aborts, whichever is first: a tool that ignores its
 * signal cannot hold the investigation (its late result is discarded). */
function raceSignal<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    if (signal.aborted) return onAbort();
    signal.addEventListener("abort", onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener("abort", onAbort));
  });
}

export function createToolGuard(options: GuardOptions) {
  const byName = new Map(options.tools.map((tool) => [tool.name, tool]));
  const records: ToolCallRecord[] = [];
  const seen = new Set<string>();
  let counted = 0;
  const { redactor } = options;

  async function decide(raw: RawToolCall): Promise<Omit<ToolCallRecord, "id" | "durationMs"> & { truncatedResult?: boolean }> {
    const refuse = (refusal: Refusal, reason: string, args: unknown = rawArgs(raw.arguments)) => ({ tool: raw.name, args, status: "refused" as const, refusal, reason });
    if (counted >= options.maxToolCalls) return refuse("budget", `the tool-call budget (${options.maxToolCalls} calls) is spent`);
    counted++;
    const tool = byName.get(raw.name);
    if (!tool) return refuse("unknown_tool", `no tool "${cut(raw.name, MAX_TOOL_NAME_CHARS)}" is offered; the tools are ${[...byName.keys()].join(", ")}`);
    let json: unknown;
    try {
      json = raw.arguments.trim() === "" ? {} : JSON.parse(raw.arguments);
    } catch {
      return refuse("invalid_arguments", "the arguments were not JSON");
    }
    const parsed = tool.args.safeParse(json);
    if (!parsed.success) return refuse("invalid_arguments", `invalid arguments: ${argumentProblems(parsed.error)}`, json);
    const args = parsed.data;
    const signature = `${tool.name}\u0000${canonicalJson(args)}`;
    if (seen.has(signature)) return refuse("repeated", "the same call (tool and arguments) was made before: cite its id instead", args);
    seen.add(signature);
    // The run's cancel, or this call's own timeout, whichever comes first.
    const timeout = new AbortController();
    const timer = setTimeout(() => timeout.abort(new CallTimeoutError(options.toolTimeoutMs)), options.toolTimeoutMs);
    const signal = AbortSignal.any([timeout.signal, options.signal]);
    try {
      const deadline = Date.now() + options.toolTimeoutMs; // bounds the database tools' statement_timeout
      const result = await raceSignal(tool.run(args as never, { ...options.context, signal, deadline }), signal);
      const { text, truncated } = redactedJson(result, redactor);
      return { tool: tool.name, args, status: "ok", result: text, truncatedResult: truncated };
    } catch (err) {
      if (err instanceof ToolRefusedError) return refuse("policy", err.message, args);
      // A tool that gave up on the aborted signal in its own words still timed out.
      const reason = timeout.signal.aborted ? `timed out after ${options.toolTimeoutMs} ms`
        : options.signal.aborted ? "the run was cancelled"
        : err instanceof Error ? err.message || err.name : "the tool failed";
      return { tool: tool.name, args, status: "error", reason };
    } finally {
      clearTimeout(timer);
    }
  }

  return {
    records,
    /** Calls asked for so far that counted against the budget (all but "budget" refusals). */
    get spent(): number {
      return counted;
    },
    get budgetSpent(): boolean {
      return counted >= options.maxToolCalls;
    },
    /** Decides, records, emits and counts one call; never throws for what the call did. */
    async call(raw: RawToolCall): Promise<GuardedCall> {
      const started = performance.now();
      const id = `T${records.length + 1}`;
      const { truncatedResult, ...decided } = await decide(raw);
      const record: ToolCallRecord = {
        id,
        ...decided,
        tool: redactor.text(cut(decided.tool, MAX_TOOL_NAME_CHARS)),
        args: recordedArgs(decided.args, redactor),
        ...(decided.reason !== undefined ? { reason: redactor.text(decided.reason) } : {}),
        durationMs: Math.round(performance.now() - started),
      };
      records.push(record);
      processMetrics().investigationToolCalls.inc({ tool: byName.has(raw.name) ? raw.name : "unknown", outcome: record.refusal ?? record.status });
      await options.onRecord?.(record);
      return { record, content: toolMessage(record, truncatedResult ?? false) };
    },
  };
}

export type ToolGuard = ReturnType<typeof createToolGuard>;

/** What the model is told of a call: its id to cite, and the result (JSON, or the truncated text
 * as a string) or why there is none. */
export function toolMessage(record: ToolCallRecord, truncatedResult: boolean): string {
  const head = `{"id":${JSON.stringify(record.id)},"tool":${JSON.stringify(record.tool)},"status":${JSON.stringify(record.status)}`;
  if (record.status === "ok") return `${head},"result":${truncatedResult ? JSON.stringify(record.result) : record.result}}`;
  return `${head},"reason":${JSON.stringify(record.reason ?? "")}}`;
}

/** The arguments as sent, before they were validated: the JSON value, or the raw text. */
function rawArgs(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}
