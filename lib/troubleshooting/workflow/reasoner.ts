// Optional LLM reasoning. The model may only pick from what it is offered (domains, catalogue
// action codes, known issue ids); every answer is parsed with zod, and any failure falls back
// to the rule-based coordinator with the reason recorded for the report.
import type { BaseChatModel } from "@langchain/core/language_models/chat_models";
import { z } from "zod";
import type { Env } from "../../env";
import { type SummaryInput, type Triage, summarizeByRules, triageByRules } from "./coordinator";
import { observeLlmCall } from "../../monitoring/process-metrics";
import { type Domain, type LlmUsage, domainSchema } from "../report";

interface Reasoned<T> {
  value: T;
  /** Set when the LLM was asked but its answer could not be used. */
  fallbackReason?: string;
  /** Set when the LLM was called. */
  usage?: LlmUsage;
}


interface FixCandidate {
  code: string;
  title: string;
  description: string;
  risk: string;
}

export interface Reasoner {
  /** The model's name, or undefined for the rule-based reasoner. */
  model?: string;
  triage(initialIssue: string | null, allowed: Domain[]): Promise<Reasoned<Triage>>;
  chooseFixes(issue: { id: string; code: string; title: string }, candidates: FixCandidate[]): Promise<Reasoned<string[]>>;
  summarize(input: SummaryInput): Promise<Reasoned<string>>;
}

export const ruleReasoner: Reasoner = {
  triage: async (text, allowed) => ({ value: triageByRules(text, allowed) }),
  chooseFixes: async (_issue, candidates) => ({ value: candidates.map((c) => c.code) }),
  summarize: async (input) => ({ value: summarizeByRules(input) }),
};

/** A chat model created on first use (the same one afterwards). */
export type ChatModelLoader = () => Promise<BaseChatModel>;

/**
 * The configured OpenAI(-compatible) model, or null without OPENAI_API_KEY. Loaded on the first
 * call: @langchain/openai costs every start about 165 ms to import, and most runs never ask it.
 * A failed import is retried on the next call (each failure falls back to the rules).
 */
export function chatModelFromEnv(env: Env): ChatModelLoader | null {
  const apiKey = env.OPENAI_API_KEY;
  if (!apiKey) return null;
  let model: Promise<BaseChatModel> | undefined;
  return () =>
    (model ??= import("@langchain/openai").then(
      ({ ChatOpenAI }) =>
        new ChatOpenAI({
          apiKey,
          model: env.OPENAI_MODEL,
          temperature: 0,
          timeout: env.LLM_TIMEOUT_MS,
          maxRetries: 1,
          configuration: env.OPENAI_BASE_URL ? { baseURL: env.OPENAI_BASE_URL } : undefined,
        }),
      (err: unknown) => {
        model = undefined;
        throw err;
      },
    ));
}

const SYSTEM = "You are the coordinator of a troubleshooting system for a Next.js + PostgreSQL web platform. Answer with one JSON object and nothing else.";

/** `model`: a model, or its loader (chatModelFromEnv's). `timeoutMs` (LLM_TIMEOUT_MS) is only
 * named in the fallback reason of a call that timed out. */
export function llmReasoner(model: BaseChatModel | ChatModelLoader, modelName: string, options: { timeoutMs?: number } = {}): Reasoner {
  const load: ChatModelLoader = typeof model === "function" ? model : async () => model;
  async function ask<T>(task: string, input: unknown, schema: z.ZodType<T>, fallback: () => Promise<Reasoned<T>>): Promise<Reasoned<T>> {
    const started = performance.now();
    const usage: LlmUsage = { calls: 1, latencyMs: 0, inputTokens: 0, outputTokens: 0 };
    try {
      const reply = await (await load()).invoke([
        ["system", SYSTEM],
        ["human", `${task}\n\nInput:\n${JSON.stringify(input)}`],
      ]);
      usage.latencyMs = Math.round(performance.now() - started);
      usage.inputTokens = reply.usage_metadata?.input_tokens ?? 0;
      usage.outputTokens = reply.usage_metadata?.output_tokens ?? 0;
      const text = typeof reply.content === "string" ? reply.content : JSON.stringify(reply.content);
      const json: unknown = JSON.parse(text.replace(/^\s*```(?:json)?\s*|\s*```\s*$/g, ""));
      const value = schema.parse(json);
      observeLlmCall("ok", usage);
      return { value, usage };
    } catch (err) {
      usage.latencyMs ||= Math.round(performance.now() - started);
      const reason = err instanceof z.ZodError ? "the model's answer did not match the expected schema"
        : err instanceof SyntaxError ? "the model's answer was not JSON"
        : isTimeout(err) ? `the model call timed out${options.timeoutMs ? ` (after ${options.timeoutMs} ms)` : ""}`
        : `the model call failed (${callFailure(err)})`;
      observeLlmCall("fallback", usage);
      return { ...(await fallback()), fallbackReason: reason, usage };
    }
  }

  return {
    model: modelName,
    triage(text, allowed) {
      const schema = z
        .object({ focus: z.array(domainSchema).min(1), hypotheses: z.array(z.string().max(300)).max(5) })
        .refine((t) => t.focus.every((d) => allowed.includes(d)), "focus outside the allowed domains")
        .transform((t): Triage => ({ focus: [...new Set(t.focus)], hypotheses: t.hypotheses, source: "llm" }));
      const task = `Read the administrator's description of the problem and pick which of the allowed domains to focus on, with up to 5 hypotheses. Reply {"focus": [...], "hypotheses": [...]}.`;
      return ask(task, { description: text ?? "", allowedDomains: allowed }, schema, () => ruleReasoner.triage(text, allowed));
    },
    chooseFixes(issue, candidates) {
      const codes = candidates.map((c) => c.code);
      const schema = z
        .object({ actions: z.array(z.string()) })
        .refine((a) => a.actions.every((code) => codes.includes(code)), "an action outside the catalogue candidates")
        .transform((a) => [...new Set(a.actions)]);
      const task = `Choose which of the candidate fix actions (by code) should be planned for this issue; an empty list plans none. Reply {"actions": [...]}.`;
      return ask(task, { issue, candidates }, schema, () => ruleReasoner.chooseFixes(issue, candidates));
    },
    summarize(input) {
      const ids = input.issues.map((i) => i.id);
      const schema = z
        .object({ summary: z.string().min(1).max(2_000), citedIssueIds: z.array(z.string()) })
        .refine((s) => s.citedIssueIds.every((id) => ids.includes(id)), "cites an unknown issue id")
        .refine((s) => ids.length === 0 || s.citedIssueIds.length > 0, "cites no issue")
        .transform((s) => s.summary);
      const task = `Write a short root-cause summary (at most 5 sentences) of these findings for the administrator. Cite issues as [id]. Reply {"summary": "...", "citedIssueIds": [...]}.`;
      return ask(task, input, schema, () => ruleReasoner.summarize(input));
    },
  };
}

/** The client gave up waiting (LangChain's TimeoutError, or the OpenAI SDK's own). */
export function isTimeout(err: unknown): boolean {
  return err instanceof Error && (err.name === "TimeoutError" || err.name === "APIConnectionTimeoutError");
}

/** "HTTP 429" for an answer the API refused, else the error's name. */
export function callFailure(err: unknown): string {
  const status = (err as { status?: unknown } | null)?.status;
  return typeof status === "number" ? `HTTP ${status}` : err instanceof Error ? err.name : "error";
}
