// Error tracking: every error the system meets (a check that could not run, a bot that gave up, a
// fix that failed, a run that failed, an LLM answer that could not be used, a monitored operation
// that threw) is stored once with a category, so the monitoring page can count and group them.
import type { PrismaClient } from "../db";
import { scrubString } from "./redact";

export const ERROR_CATEGORIES = ["timeout", "connection", "auth", "validation", "target", "internal"] as const;
export type ErrorCategory = (typeof ERROR_CATEGORIES)[number];
type ErrorSource = "check" | "bot" | "fix" | "run" | "llm" | "operation" | "api";

// First match wins: a "connection timed out" is a timeout, an HTTP 401 is auth before target.
const RULES: [ErrorCategory, RegExp][] = [
  ["timeout", /timed? ?out|timeout|deadline|ETIMEDOUT|TaskCancelled|57014|statement_timeout|\b408\b/i],
  ["connection", /ECONNREFUSED|ECONNRESET|ENOTFOUND|EAI_AGAIN|EHOSTUNREACH|EPIPE|socket hang up|connection (?:refused|reset|terminated|closed)|could not connect|circuit breaker|\b(?:57P01|08006|08001|08003)\b|fetch failed|unreachable/i],
  ["auth", /\b(?:401|403)\b|unauthori[sz]ed|forbidden|authentication|permission denied|password|\b(?:28P01|28000|42501)\b|credential/i],
  ["validation", /invalid|ZodError|validation|could not parse|unexpected token|not valid JSON|SyntaxError|schema/i],
  ["target", /\bHTTP [45]\d\d\b|status [45]\d\d|\b(?:429|500|502|503|504)\b|certificate|TLS|DNS|rate.?limit|refused by the address policy/i],
];

export function categorizeError(message: string): ErrorCategory {
  return RULES.find(([, pattern]) => pattern.test(message))?.[0] ?? "internal";
}

export interface TrackedErrorInput {
  source: ErrorSource;
  code: string;
  message: string;
  category?: ErrorCategory;
  botName?: string | null;
  runId?: string | null;
  at?: Date;
}

function row(input: TrackedErrorInput) {
  const message = scrubString(input.message).slice(0, 1_000);
  return {
    source: input.source,
    code: input.code,
    message,
    category: input.category ?? categorizeError(message),
    botName: input.botName ?? null,
    runId: input.runId ?? null,
    at: input.at ?? new Date(),
  };
}

export async function trackError(prisma: PrismaClient, input: TrackedErrorInput): Promise<void> {
  await prisma.trackedError.create({ data: row(input) });
}

const FIX_BOTS: Record<string, string> = { web: "web-fix", db: "database-fix", net: "network-fix" };
export const fixBotOf = (code: string) => FIX_BOTS[code.split(".")[0] ?? ""] ?? null;

const NOT_AN_ERROR_FALLBACK = /no OPENAI_API_KEY/;

/** Records the errors an ended run met, once (a second call for the same run adds nothing). */
export async function trackRunErrors(prisma: PrismaClient, runId: string): Promise<void> {
  const [run, degraded, failedActions, tracked] = await Promise.all([
    prisma.troubleshootingRun.findUnique({ where: { id: runId }, select: { status: true, statusReason: true, checks: true, llm: true, finishedAt: true } }),
    prisma.runEvent.findMany({ where: { runId, type: "bot_degraded" }, select: { payload: true, createdAt: true } }),
    prisma.fixAction.findMany({ where: { runId, status: "failed" }, select: { code: true, detail: true, updatedAt: true } }),
    prisma.trackedError.count({ where: { runId, source: { in: ["check", "bot", "fix", "run", "llm"] } } }),
  ]);
  if (!run || tracked > 0) return;
  const at = run.finishedAt ?? new Date();
  const errors: TrackedErrorInput[] = [];
  for (const check of Array.isArray(run.checks) ? (run.checks as { code?: string; domain?: string; status?: string; reason?: string }[]) : []) {
    if (check.status === "error" && check.code) {
      errors.push({ source: "check", code: check.code, botName: `${check.domain}-diagnostic`, message: check.reason ?? "the check failed", runId, at });
    }
  }
  for (const event of degraded) {
    const payload = event.payload as { bot?: string; reason?: string };
    errors.push({ source: "bot", code: payload.bot ?? "bot", botName: payload.bot, message: payload.reason ?? "the bot did not finish", runId, at: event.createdAt });
  }
  for (const action of failedActions) {
    errors.push({ source: "fix", code: action.code, botName: fixBotOf(action.code), message: action.detail ?? "the fix failed", runId, at: action.updatedAt });
  }
  if (run.status === "failed") errors.push({ source: "run", code: "run", message: run.statusReason ?? "the run failed", runId, at });
  const fallback = (run.llm as { fallbackReason?: string } | null)?.fallbackReason;
  if (fallback && !NOT_AN_ERROR_FALLBACK.test(fallback)) errors.push({ source: "llm", code: "llm", message: fallback, runId, at });
  if (errors.length) await prisma.trackedError.createMany({ data: errors.map(row) });
}
