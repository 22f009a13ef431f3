// What the tracked errors say over a period: counts per category and day, the most frequent
// patterns (the same source, code and message once numbers and ids are masked), a few real
// messages of each as examples, and what to do. Counts read every error of the period (an index-only
// scan); patterns mask each message with two regular expressions, which over 36,000 errors (90
// days of a 50-target fleet) took ~500 ms, so they are drawn from the latest PATTERN_SAMPLE_ERRORS
// errors of the period, and `patternsFrom` says how many that was.
import type { PrismaClient } from "../db";
import { ERROR_CATEGORIES, type ErrorCategory } from "./errors";

export interface ErrorPattern {
  source: string;
  code: string;
  botName: string | null;
  category: ErrorCategory;
  /** The message with numbers masked as "#" and ids as "…" (the grouping key). */
  pattern: string;
  /** The pattern as a person reads it: lists and addresses named ("‹5 numbers›", "‹IP address›"). */
  readable: string;
  /** Up to three distinct messages of this pattern, latest first (already scrubbed of secrets). */
  examples: string[];
  count: number;
  runs: number;
  lastAt: Date;
  recommendation: string;
}

/** The most errors (the latest of the period) the patterns are drawn from. */
export const PATTERN_SAMPLE_ERRORS = 2000;

export type ErrorsPerDay = { day: string } & Record<ErrorCategory, number>;

const ADVICE: Record<ErrorCategory, string> = {
  timeout: "The target (or the check) is slower than the time limit: look at why it is slow, or raise CHECK_TIMEOUT_MS / DIAGNOSTIC_TIMEOUT_MS if the limit is too tight.",
  connection: "This server cannot reach the target: check TARGET_BASE_URL / TARGET_DATABASE_URL, DNS and firewalls between this server and the target.",
  auth: "Credentials are missing or refused: check TARGET_SESSION_COOKIE / TARGET_BEARER_TOKEN, the database role's permissions, or the integration's token.",
  validation: "Data did not have the expected shape (an LLM answer, a job, a response): the LLM falls back to the rules; see the logs of the runs listed.",
  target: "The target answered with errors (5xx, 429, TLS or DNS problems): see the run's issues, they usually name the cause.",
  internal: "An error inside the troubleshooter: read the server log lines with the run id, and report it if it repeats.",
};

function recommendationFor(category: ErrorCategory, source: string, code: string, runs: number): string {
  const where = source === "llm" ? "The LLM calls" : source === "run" ? "Whole runs" : `${code} (${source})`;
  const often = runs > 1 ? `${where} failed this way in ${runs} runs. ` : "";
  return often + ADVICE[category];
}

/** "connect ECONNREFUSED ‹IP address›:#" for "connect ECONNREFUSED #.#.#.#:#", "in (‹5 numbers›)"
 * for "in (#, #, #, #, #)": a masked message without its runs of placeholders. */
export function readablePattern(pattern: string): string {
  return pattern
    .replace(/#\.#\.#\.#/g, "‹IP address›")
    .replace(/#(?:\s*,\s*#)+/g, (list) => `‹${list.split(",").length} numbers›`)
    .replace(/…(?:\s*,\s*…)+/g, (list) => `‹${list.split(",").length} ids›`)
    .replace(/…/g, "‹id›");
}

export async function errorReport(prisma: PrismaClient, since: Date): Promise<{ total: number; byCategory: Record<ErrorCategory, number>; perDay: ErrorsPerDay[]; patterns: ErrorPattern[]; patternsFrom: number }> {
  const [daily, patterns] = await Promise.all([
    prisma.$queryRaw<{ day: Date; category: string; n: bigint }[]>`
      SELECT (at AT TIME ZONE 'UTC')::date AS day, category, count(*) AS n FROM troubleshooter."TrackedError" WHERE at >= ${since} GROUP BY 1, 2 ORDER BY 1`,
    prisma.$queryRaw<{ source: string; code: string; bot: string | null; category: string; pattern: string; examples: string[]; n: bigint; runs: bigint; last: Date }[]>`
      SELECT source, code, max("botName") AS bot, category,
             regexp_replace(regexp_replace(message, '[0-9a-f]{8,}|c[a-z0-9]{24}', '…', 'gi'), '[0-9]+', '#', 'g') AS pattern,
             (array_agg(message ORDER BY at DESC))[1:20] AS examples, count(*) AS n, count(DISTINCT "runId") AS runs, max(at) AS last
      FROM (SELECT * FROM troubleshooter."TrackedError" WHERE at >= ${since} ORDER BY at DESC LIMIT ${PATTERN_SAMPLE_ERRORS}) e
      GROUP BY 1, 2, 4, 5 ORDER BY n DESC, last DESC LIMIT 10`,
  ]);
  const byCategory = Object.fromEntries(ERROR_CATEGORIES.map((c) => [c, 0])) as Record<ErrorCategory, number>;
  const days = new Map<string, ErrorsPerDay>();
  for (const row of daily) {
    const day = row.day.toISOString().slice(0, 10);
    const entry = days.get(day) ?? ({ day, ...Object.fromEntries(ERROR_CATEGORIES.map((c) => [c, 0])) } as ErrorsPerDay);
    const category = row.category as ErrorCategory;
    entry[category] += Number(row.n);
    byCategory[category] += Number(row.n);
    days.set(day, entry);
  }
  const total = Object.values(byCategory).reduce((a, b) => a + b, 0);
  return {
    total,
    /** How many errors (the latest of the period) the patterns were drawn from. */
    patternsFrom: Math.min(total, PATTERN_SAMPLE_ERRORS),
    byCategory,
    perDay: [...days.values()],
    patterns: patterns.map((p) => ({
      source: p.source,
      code: p.code,
      botName: p.bot,
      category: p.category as ErrorCategory,
      pattern: p.pattern,
      readable: readablePattern(p.pattern),
      examples: [...new Set(p.examples)].slice(0, 3),
      count: Number(p.n),
      runs: Number(p.runs),
      lastAt: p.last,
      recommendation: recommendationFor(p.category as ErrorCategory, p.source, p.code, Number(p.runs)),
    })),
  };
}
