import type { Check } from "../../catalogue";
import { readOnly, notOwnSchemaSql } from "./shared";

/** PgHero: never scanned and at least 10 MB. Unique and primary-key indexes enforce rules and are
 * never "unused". The counters start at the last statistics reset or server start: like PgHero,
 * the check judges anyway and says since when; under `minStatsAgeDays` (7 days: a weekly job has
 * not necessarily run yet) the finding carries `confidence: "low"`. Always low severity. */
const UNUSED_INDEX_THRESHOLDS = { minBytes: 10 * 1024 * 1024, minStatsAgeDays: 7 };

interface Row {
  schema: string;
  table: string;
  index: string;
  bytes: string;
  stats_since: Date | null;
}

export const dbUnusedIndexes: Check = {
  code: "db.unused_indexes",
  domain: "database",
  title: "Unused indexes",
  description: `Non-unique indexes of at least ${UNUSED_INDEX_THRESHOLDS.minBytes / 1024 / 1024} MB with no scan since statistics began (reset or server start), with that date; low confidence when under ${UNUSED_INDEX_THRESHOLDS.minStatsAgeDays} days (low).`,
  thresholds: UNUSED_INDEX_THRESHOLDS,
  async run({ target, signal, thresholds }) {
    const t = { ...UNUSED_INDEX_THRESHOLDS, ...thresholds };
    return readOnly(target, signal, async (client) => {
      const since = await client.query<{ since: Date | null; age_days: number | null }>(
        `SELECT coalesce(stats_reset, pg_postmaster_start_time()) AS since,
                extract(epoch FROM now() - coalesce(stats_reset, pg_postmaster_start_time())) / 86400 AS age_days
           FROM pg_stat_database WHERE datname = current_database()`,
      );
      const ageDays = Number(since.rows[0]?.age_days ?? 0);
      const { rows } = await client.query<Row>(
        `SELECT s.schemaname AS schema, s.relname AS "table", s.indexrelname AS index, pg_relation_size(s.indexrelid)::text AS bytes
           FROM pg_stat_user_indexes s JOIN pg_index x ON x.indexrelid = s.indexrelid
          WHERE ${notOwnSchemaSql("s.schemaname")} AND s.idx_scan = 0 AND NOT x.indisunique AND NOT x.indisprimary AND NOT x.indisexclusion AND x.indisvalid
            AND pg_relation_size(s.indexrelid) >= $1
          ORDER BY pg_relation_size(s.indexrelid) DESC LIMIT 20`,
        [t.minBytes],
      );
      const statsSince = since.rows[0]?.since?.toISOString() ?? null;
      if (rows.length === 0) return { status: "passed", evidence: { statsSince } };
      const statsAgeDays = Math.round(ageDays * 10) / 10;
      const window = ageDays < 2 ? `${Math.round(ageDays * 24)} hours` : `${Math.round(ageDays)} days`;
      const confidence = ageDays < t.minStatsAgeDays ? "low" : "normal";
      return {
        status: "issues",
        issues: rows.map((row) => ({
          severity: "low" as const,
          title: confidence === "low" ? `Index ${row.schema}.${row.index} has not been scanned in ${window}` : `Index ${row.schema}.${row.index} was never used`,
          description:
            `No query has scanned this ${Math.round(Number(row.bytes) / 1024 / 1024)} MB index on ${row.table} since ${statsSince} (${window}); it slows every write.` +
            (confidence === "low" ? ` Statistics cover less than ${t.minStatsAgeDays} days (reset or restart since): a weekly or monthly job may still need it.` : ""),
          subject: `${row.schema}.${row.index}`,
          evidence: { schema: row.schema, table: row.table, index: row.index, sizeBytes: Number(row.bytes), idxScan: 0, statsSince, statsAgeDays, confidence },
          recommendation: "Check replicas and rare jobs (monthly reports) before dropping it; then DROP INDEX CONCURRENTLY in a migration.",
        })),
      };
    });
  },
};
