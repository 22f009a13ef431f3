// The monitoring page's check, bot and error-pattern figures read a bounded sample at fleet scale
// (the latest runs / errors of the range) and say how big it was, instead of every row.
import pg from "pg";
import { describe, expect, it } from "vitest";
import { createTestDatabase } from "../../fixtures/test/databases";
import { createPrismaClient } from "../db";
import { rangeStart } from "../troubleshooting/queries/history";
import { PATTERN_SAMPLE_ERRORS, errorReport } from "./error-report";
import { PERFORMANCE_SAMPLE_RUNS, botPerformance, checkPerformance, performanceSample } from "./performance";

describe("monitoring figures at scale", () => {
  it("computes check and bot figures from the latest runs of the range and error patterns from the latest errors, and says how many", async () => {
    const url = await createTestDatabase();
    const sql = new pg.Client({ connectionString: url });
    await sql.connect();
    const prisma = createPrismaClient(url);
    const extra = 20;
    try {
      // PERFORMANCE_SAMPLE_RUNS + 20 runs in the last hours: the 20 oldest errored their check and
      // had their bot degraded; the latest ones passed. Same for errors: the oldest have another message.
      await sql.query(`
        INSERT INTO troubleshooter."TroubleshootingRun" (id, status, trigger, target, "targetKey", "startedAt", checks)
        SELECT 'run' || g, 'completed', 'cron', '{}', 'k', now() - interval '1 minute' * g,
               jsonb_build_array(jsonb_build_object('code', 'db.sampled', 'domain', 'database', 'status', CASE WHEN g > $1::int THEN 'error' ELSE 'passed' END, 'durationMs', g))
        FROM generate_series(1, $1::int + $2::int) g`, [PERFORMANCE_SAMPLE_RUNS, extra]);
      await sql.query(`
        INSERT INTO troubleshooter."RunEvent" ("runId", seq, phase, type, payload, "createdAt")
        SELECT 'run' || g, 1, 'diagnostics', 'phase_completed', jsonb_build_object('phase', 'diagnostics', 'bot', 'database-diagnostic', 'durationMs', g), now() FROM generate_series(1, $1::int + $2::int) g
        UNION ALL
        SELECT 'run' || g, 2, 'diagnostics', 'bot_degraded', jsonb_build_object('bot', 'database-diagnostic', 'domain', 'database', 'reason', 'x'), now() FROM generate_series($1::int + 1, $1::int + $2::int) g`,
        [PERFORMANCE_SAMPLE_RUNS, extra]);
      await sql.query(`
        INSERT INTO troubleshooter."TrackedError" (at, category, source, code, message)
        SELECT now() - interval '1 second' * g, 'timeout', 'check', 'db.sampled', CASE WHEN g > $1::int THEN 'an old kind of error' ELSE 'timed out after ' || g || ' ms' END
        FROM generate_series(1, $1::int + $2::int) g`, [PATTERN_SAMPLE_ERRORS, extra]);
      const since = rangeStart("24h");

      expect(await performanceSample(prisma, since)).toEqual({ runs: PERFORMANCE_SAMPLE_RUNS, runsInRange: PERFORMANCE_SAMPLE_RUNS + extra });
      const [check] = await checkPerformance(prisma, since);
      expect(check).toMatchObject({ code: "db.sampled", runs: PERFORMANCE_SAMPLE_RUNS, passed: PERFORMANCE_SAMPLE_RUNS, errors: 0, successRate: 1 });
      expect(check?.p95Ms).toBeLessThanOrEqual(PERFORMANCE_SAMPLE_RUNS);
      const bots = await botPerformance(prisma, since);
      expect(bots).toEqual([expect.objectContaining({ bot: "database-diagnostic", runs: PERFORMANCE_SAMPLE_RUNS, degraded: 0, successRate: 1 })]);

      const report = await errorReport(prisma, since);
      // Counts are exact; patterns come from the latest PATTERN_SAMPLE_ERRORS errors.
      expect(report.total).toBe(PATTERN_SAMPLE_ERRORS + extra);
      expect(report.patternsFrom).toBe(PATTERN_SAMPLE_ERRORS);
      expect(report.patterns.map((p) => [p.pattern, p.count])).toEqual([["timed out after # ms", PATTERN_SAMPLE_ERRORS]]);
    } finally {
      await prisma.$disconnect();
      await sql.end();
    }
  });
});
