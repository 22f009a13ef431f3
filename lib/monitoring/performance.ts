// How each bot and each check has fared over a period: how often it did its job (a check that
// passed or found issues did; one that errored did not; a skipped one is not counted) and how long
// it took (median and 95th percentile), computed in SQL from the runs' stored check results and
// the bots' phase events.
// At fleet scale (50 targets run hourly: 36,000 runs in 30 days, ~60 checks each) reading every
// run of a long range expands millions of JSON elements (seconds; 1,000 runs already took 250-650
// ms in the scale bench). Both figures therefore come from the latest PERFORMANCE_SAMPLE_RUNS runs
// that started in the range (every run of a short range), and performanceSample() says how many
// runs that is out of how many: each row's `runs` is its own sample size.
import type { PrismaClient } from "../db";
import { fixBotOf } from "./errors";

/** The most runs (the latest in the range) that check and bot figures are computed from. */
// 300 runs: ~18,000 check results, ~80 ms on 2 busy cores; still 300 timings per check for a p95.
export const PERFORMANCE_SAMPLE_RUNS = 300;

export interface PerformanceSample {
  /** Runs the check and bot figures were computed from (at most PERFORMANCE_SAMPLE_RUNS). */
  runs: number;
  /** Runs that started in the range. */
  runsInRange: number;
}

/** How many runs the range holds, and how many of them the figures read. */
export async function performanceSample(prisma: PrismaClient, since: Date): Promise<PerformanceSample> {
  const runsInRange = await prisma.troubleshootingRun.count({ where: { startedAt: { gte: since } } });
  return { runs: Math.min(runsInRange, PERFORMANCE_SAMPLE_RUNS), runsInRange };
}

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

/** Each check's outcomes and timings in the latest PERFORMANCE_SAMPLE_RUNS runs started since `since`. */
export async function checkPerformance(prisma: PrismaClient, since: Date): Promise<CheckPerformance[]> {
  const rows = await prisma.$queryRaw<{ code: string; runs: bigint; passed: bigint; issues: bigint; skipped: bigint; errors: bigint; p50: number | null; p95: number | null }[]>`
    SELECT c.code, count(*) AS runs,
      count(*) FILTER (WHERE c.status = 'passed') AS passed, count(*) FILTER (WHERE c.status = 'issues') AS issues,
      count(*) FILTER (WHERE c.status = 'skipped') AS skipped, count(*) FILTER (WHERE c.status = 'error') AS errors,
      percentile_cont(0.5) WITHIN GROUP (ORDER BY c."durationMs") FILTER (WHERE c.status <> 'skipped') AS p50,
      percentile_cont(0.95) WITHIN GROUP (ORDER BY c."durationMs") FILTER (WHERE c.status <> 'skipped') AS p95
    FROM (SELECT checks FROM troubleshooter."TroubleshootingRun" WHERE "startedAt" >= ${since} ORDER BY "startedAt" DESC LIMIT ${PERFORMANCE_SAMPLE_RUNS}) r,
         -- Each element parsed once into columns (cheaper than ->> six times per element).
         jsonb_to_recordset(CASE WHEN jsonb_typeof(r.checks) = 'array' THEN r.checks ELSE '[]'::jsonb END) AS c(code text, status text, "durationMs" float)
    GROUP BY 1 ORDER BY errors DESC, code`;
  return rows.map((r) => {
    const [runs, passed, issues, skipped, errors] = [r.runs, r.passed, r.issues, r.skipped, r.errors].map(Number) as [number, number, number, number, number];
    return { code: r.code, runs, passed, issues, skipped, errors, successRate: rate(passed + issues, runs - skipped), issueRate: rate(issues, runs - skipped), p50Ms: ms(r.p50), p95Ms: ms(r.p95) };
  });
}

/** Diagnostic bots by their phase timings and degraded runs, fix bots by applied versus failed
 * actions (they are not timed apart from the resolution phase), in the latest
 * PERFORMANCE_SAMPLE_RUNS runs started since `since`. */
export async function botPerformance(prisma: PrismaClient, since: Date): Promise<BotPerformance[]> {
  const fixes = await prisma.$queryRaw<{ code: string; status: string; n: bigint }[]>`
    SELECT f.code, f.status::text AS status, count(*) AS n
    FROM (SELECT id FROM troubleshooter."TroubleshootingRun" WHERE "startedAt" >= ${since} ORDER BY "startedAt" DESC LIMIT ${PERFORMANCE_SAMPLE_RUNS}) s
    JOIN troubleshooter."FixAction" f ON f."runId" = s.id WHERE f.status IN ('applied', 'failed') GROUP BY 1, 2`;
  const fixBots = new Map<string, { runs: number; degraded: number }>();
  for (const f of fixes) {
    const bot = fixBotOf(f.code);
    if (!bot) continue;
    const entry = fixBots.get(bot) ?? { runs: 0, degraded: 0 };
    entry.runs += Number(f.n);
    if (f.status === "failed") entry.degraded += Number(f.n);
    fixBots.set(bot, entry);
  }
  // One pass over the sampled runs' events (through the (runId, seq) index): the timed bot phases
  // and the degraded bots together. A separate scan for bot_degraded was planned as a sequential
  // scan of every event (the planner expects almost none).
  const rows = await prisma.$queryRaw<{ bot: string; runs: bigint; degraded: bigint; p50: number | null; p95: number | null }[]>`
    SELECT e.payload->>'bot' AS bot,
      count(DISTINCT e."runId") FILTER (WHERE e.type = 'phase_completed') AS runs, count(DISTINCT e."runId") FILTER (WHERE e.type = 'bot_degraded') AS degraded,
      percentile_cont(0.5) WITHIN GROUP (ORDER BY (e.payload->>'durationMs')::float) FILTER (WHERE e.type = 'phase_completed') AS p50,
      percentile_cont(0.95) WITHIN GROUP (ORDER BY (e.payload->>'durationMs')::float) FILTER (WHERE e.type = 'phase_completed') AS p95
    FROM (SELECT id FROM troubleshooter."TroubleshootingRun" WHERE "startedAt" >= ${since} ORDER BY "startedAt" DESC LIMIT ${PERFORMANCE_SAMPLE_RUNS}) s
    JOIN troubleshooter."RunEvent" e ON e."runId" = s.id
    WHERE e.payload ? 'bot' AND (e.type = 'phase_completed' OR e.type = 'bot_degraded')
    GROUP BY 1 HAVING count(*) FILTER (WHERE e.type = 'phase_completed') > 0 ORDER BY 1`;
  return [
    ...rows.map((r) => {
      const runs = Number(r.runs);
      const degraded = Number(r.degraded);
      return { bot: r.bot, runs, degraded, successRate: rate(runs - degraded, runs), p50Ms: ms(r.p50), p95Ms: ms(r.p95) };
    }),
    ...[...fixBots].sort().map(([bot, { runs, degraded }]) => ({ bot, runs, degraded, successRate: rate(runs - degraded, runs), p50Ms: null, p95Ms: null })),
  ];
}
