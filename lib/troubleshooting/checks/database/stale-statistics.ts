import type { Check, IssueDraft } from "../../catalogue";
import { readOnly } from "./shared";

/** Tiny tables churn a lot relatively: judge only tables with enough rows and changes. */
export const STALE_STATS_THRESHOLDS = { minRows: 1_000, minChanges: 1_000, changedFraction: 0.2, mediumRows: 100_000 };

interface Row {
  schema: string;
  table: string;
  live_rows: string;
  changes: string;
  last_analyze: Date | null;
}

export const dbStaleStatistics: Check = {
  code: "db.stale_statistics",
  domain: "database",
  title: "Stale planner statistics",
  description: `Tables with at least ${STALE_STATS_THRESHOLDS.minRows} rows where more than ${STALE_STATS_THRESHOLDS.changedFraction * 100} % of rows (and ${STALE_STATS_THRESHOLDS.minChanges}+) changed since the last ANALYZE.`,
  thresholds: STALE_STATS_THRESHOLDS,
  async run({ target, signal, thresholds }) {
    return readOnly(target, signal, async (client) => {
      const t = { ...STALE_STATS_THRESHOLDS, ...thresholds };
      const { rows } = await client.query<Row>(
        `SELECT schemaname AS schema, relname AS "table", n_live_tup::text AS live_rows, n_mod_since_analyze::text AS changes,
                greatest(last_analyze, last_autoanalyze) AS last_analyze
           FROM pg_stat_user_tables
          WHERE n_live_tup >= $1::bigint AND n_mod_since_analyze >= greatest($2::float8, n_live_tup * $3::float8)
          ORDER BY n_mod_since_analyze DESC LIMIT 20`,
        [t.minRows, t.minChanges, t.changedFraction],
      );
      return rows.length === 0 ? { status: "passed" } : { status: "issues", issues: rows.map((row) => toIssue(row, t.mediumRows)) };
    });
  },
};

function toIssue(row: Row, mediumRows: number): IssueDraft {
  const liveRows = Number(row.live_rows);
  return {
    severity: liveRows >= mediumRows ? "medium" : "low",
    title: `Statistics of ${row.schema}.${row.table} are stale`,
    description: `${row.changes} rows changed since the last ANALYZE of a ${liveRows}-row table; the planner may choose slow plans.`,
    subject: `${row.schema}.${row.table}`,
    evidence: { schema: row.schema, table: row.table, liveRows, changesSinceAnalyze: Number(row.changes), lastAnalyze: row.last_analyze?.toISOString() ?? null },
    recommendation: "Run ANALYZE on the table; if this recurs, lower autovacuum_analyze_scale_factor for it.",
  };
}
