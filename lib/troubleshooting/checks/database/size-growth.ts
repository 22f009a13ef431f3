import type { Check } from "../../catalogue";
import { withDatabase } from "../../probes/database";
import { dbCheckError } from "./shared";

/** Growth per day between runs; small databases grow fast relatively, so a minimum size applies. */
const GROWTH_THRESHOLDS = { maxDailyGrowth: 0.2, minBytes: 100 * 1024 * 1024, minHours: 1 };
const METRIC = "db.size_bytes";

export const dbDatabaseSizeGrowth: Check = {
  code: "db.database_size_growth",
  domain: "database",
  title: "Database growing fast",
  description: `Size growth since the previous run above ${GROWTH_THRESHOLDS.maxDailyGrowth * 100} % per day, for databases of ${GROWTH_THRESHOLDS.minBytes / 1024 / 1024} MB+ (medium).`,
  thresholds: GROWTH_THRESHOLDS,
  async run({ target, signal, thresholds, memory }) {
    const t = { ...GROWTH_THRESHOLDS, ...thresholds };
    try {
      const { database, bytes } = await withDatabase(target.databaseUrl, signal, "read-only", async (client) => {
        const { rows } = await client.query<{ database: string; bytes: string }>("SELECT current_database() AS database, pg_database_size(current_database())::text AS bytes");
        return { database: rows[0]?.database ?? "", bytes: Number(rows[0]?.bytes ?? 0) };
      });
      const previous = await memory.previous(METRIC, database);
      const hours = previous ? (Date.now() - previous.at.getTime()) / 3_600_000 : 0;
      if (!previous || hours >= t.minHours) await memory.record(METRIC, database, bytes);
      if (!previous) return { status: "skipped", reason: `first run on this database: size ${bytes} bytes recorded as the baseline` };
      if (hours < t.minHours) return { status: "skipped", reason: `the previous size is only ${Math.round(hours * 60)} minutes old; compared after ${t.minHours} h` };
      const dailyGrowth = previous.value > 0 ? (bytes - previous.value) / previous.value / (hours / 24) : 0;
      const evidence = { database, bytes, previousBytes: previous.value, hoursBetween: Math.round(hours * 10) / 10, dailyGrowthPercent: Math.round(dailyGrowth * 1000) / 10 };
      if (bytes < t.minBytes || dailyGrowth <= t.maxDailyGrowth) return { status: "passed", evidence };
      return {
        status: "issues",
        issues: [
          {
            severity: "medium",
            title: `The database grows ${evidence.dailyGrowthPercent} % per day`,
            description: `It went from ${previous.value} to ${bytes} bytes in ${evidence.hoursBetween} h; at this rate disk or plan limits arrive soon.`,
            subject: `size:${database}`,
            evidence,
            recommendation: "Find the growing tables (pg_total_relation_size), look for logs or events that are never pruned and for bloat (db.table_bloat); add retention.",
          },
        ],
      };
    } catch (err) {
      return dbCheckError(err);
    }
  },
};
