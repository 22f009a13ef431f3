// How each bot and each check has fared over a period: how often it did its job (a check that
// passed or found issues did; one that errored did not; a skipped one is not counted) and how long
// it took (median and 95th percentile), computed in SQL from the runs' stored check results and
// the bots' phase events.
import type { PrismaClient } from "../db";
import { fixBotOf } from "./errors";

export interface CheckPerformance {
  code: string;
  runs: number;
  passed: number;
  issues: number;
  skipped: number;
  errors: number;
  /** How often it ran without error, whatever it found: (passed + issues) / (runs - skipped), null
   * when it never ran. Not how often the target was fine: that is 1 - issueRate. */
  successRate: number | null;
  /** How often it found issues: issues / (runs - skipped), null when it never ran. */
  issueRate: number | null;
  p50Ms: number | null;
  p95Ms: number | null;
}

export interface BotPerformance {
  bot: string;
  /** Runs (diagnostic bots) or applied-or-failed actions (fix bots). */
  runs: number;
  /** Runs the bot did not finish, or actions that failed. */
  degraded: number;
  successRate: number | null;
  p50Ms: number | null;
  p95Ms: number | null;
}

const rate = (good: number, total: number) => (total > 0 ? good / total : null);
const ms = (value: number | null) => (value == null ? null : Math.round(value));

export async function checkPerformance(prisma: PrismaClient, since: Date): Promise<CheckPerformance[]> {
  const rows = await prisma.$queryRaw<{ code: string; runs: bigint; passed: bigint; issues: bigint; skipped: bigint; errors: bigint; p50: number | null; p95: number | null }[]>`
    SELECT c->>'code' AS code, count(*) AS runs,
      count(*) FILTER (WHERE c->>'status' = 'passed') AS passed, count(*) FILTER (WHERE c->>'status' = 'issues') AS issues,
      count(*) FILTER (WHERE c->>'status' = 'skipped') AS skipped, count(*) FILTER (WHERE c->>'status' = 'error') AS errors,
      percentile_cont(0.5) WITHIN GROUP (ORDER BY (c->>'durationMs')::float) FILTER (WHERE c->>'status' <> 'skipped') AS p50,
      percentile_cont(0.95) WITHIN GROUP (ORDER BY (c->>'durationMs')::float) FILTER (WHERE c->>'status' <> 'skipped') AS p95
    FROM troubleshooter."TroubleshootingRun" r, jsonb_array_elements(CASE WHEN jsonb_typeof(r.checks) = 'array' THEN r.checks ELSE '[]'::jsonb END) c
    WHERE r."startedAt" >= ${since}
    GROUP BY 1 ORDER BY errors DESC, code`;
  return rows.map((r) => {
    const [runs, passed, issues, skipped, errors] = [r.runs, r.passed, r.issues, r.skipped, r.errors].map(Number) as [number, number, number, number, number];
    return { code: r.code, runs, passed, issues, skipped, errors, successRate: rate(passed + issues, runs - skipped), issueRate: rate(issues, runs - skipped), p50Ms: ms(r.p50), p95Ms: ms(r.p95) };
  });
}

/** Diagnostic bots by their phase timings and degraded runs; fix bots by applied versus failed
 * actions (they are not timed apart from the resolution phase). */
export async function botPerformance(prisma: PrismaClient, since: Date): Promise<BotPerformance[]> {
  const fixes = await prisma.fixAction.groupBy({ by: ["code", "status"], where: { createdAt: { gte: since }, status: { in: ["applied", "failed"] } }, _count: { _all: true } });
  const fixBots = new Map<string, { runs: number; degraded: number }>();
  for (const f of fixes) {
    const bot = fixBotOf(f.code);
    if (!bot) continue;
    const entry = fixBots.get(bot) ?? { runs: 0, degraded: 0 };
    entry.runs += f._count._all;
    if (f.status === "failed") entry.degraded += f._count._all;
    fixBots.set(bot, entry);
  }
  const rows = await prisma.$queryRaw<{ bot: string; runs: bigint; degraded: bigint; p50: number | null; p95: number | null }[]>`
    WITH timed AS (
      SELECT e.payload->>'bot' AS bot, e."runId", (e.payload->>'durationMs')::float AS ms
      FROM troubleshooter."RunEvent" e WHERE e.type = 'phase_completed' AND e.payload ? 'bot' AND e."createdAt" >= ${since}
    ), degraded AS (
      SELECT e.payload->>'bot' AS bot, count(DISTINCT e."runId") AS n FROM troubleshooter."RunEvent" e
      WHERE e.type = 'bot_degraded' AND e."createdAt" >= ${since} GROUP BY 1
    )
    SELECT t.bot, count(DISTINCT t."runId") AS runs, coalesce(max(d.n), 0) AS degraded,
      percentile_cont(0.5) WITHIN GROUP (ORDER BY t.ms) AS p50, percentile_cont(0.95) WITHIN GROUP (ORDER BY t.ms) AS p95
    FROM timed t LEFT JOIN degraded d ON d.bot = t.bot GROUP BY t.bot ORDER BY t.bot`;
  return [
    ...rows.map((r) => {
      const runs = Number(r.runs);
      const degraded = Number(r.degraded);
      return { bot: r.bot, runs, degraded, successRate: rate(runs - degraded, runs), p50Ms: ms(r.p50), p95Ms: ms(r.p95) };
    }),
    ...[...fixBots].sort().map(([bot, { runs, degraded }]) => ({ bot, runs, degraded, successRate: rate(runs - degraded, runs), p50Ms: null, p95Ms: null })),
  ];
}
