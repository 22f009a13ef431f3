import type { Check, IssueDraft } from "../../catalogue";
import { MAY_MAINTAIN_SQL } from "../../fixes/database/identifiers";
import { maintenanceRefused, readOnly, notOwnSchemaSql } from "./shared";

/**
 * Tiny tables churn a lot relatively: judge only tables with enough rows and changes. Stale means
 * autovacuum will not bring them up to date by itself: its analyze is off for the table (or the
 * server), its own trigger (autovacuum_analyze_threshold + autovacuum_analyze_scale_factor x
 * reltuples, table reloptions first; PostgreSQL docs 24.1.6) lies beyond the changes, or the
 * table is past that trigger and yet its last analyze is over `overdueHours` old (autovacuum does
 * not keep up). A table just past the trigger is analyzed within autovacuum_naptime (1 min): not
 * stale. That also covers a load analyzed at once, whose row counts reach the statistics a moment
 * after the ANALYZE and read as changes since.
 */
const STALE_STATS_THRESHOLDS = { minRows: 1_000, minChanges: 1_000, changedFraction: 0.2, mediumRows: 100_000, overdueHours: 1 };

interface Row {
  schema: string;
  table: string;
  live_rows: string;
  changes: string;
  trigger: string;
  autoanalyze: boolean;
  last_analyze: Date | null;
  may_maintain: boolean;
}

export const dbStaleStatistics: Check = {
  code: "db.stale_statistics",
  domain: "database",
  title: "Stale planner statistics",
  description:
    `Tables with at least ${STALE_STATS_THRESHOLDS.minRows} rows where more than ${STALE_STATS_THRESHOLDS.changedFraction * 100} % of rows (and ${STALE_STATS_THRESHOLDS.minChanges}+) changed since the last ANALYZE, ` +
    `and autovacuum will not analyze them (off, or its trigger set beyond the changes) or has not for ${STALE_STATS_THRESHOLDS.overdueHours} h past its trigger (low; medium from ${STALE_STATS_THRESHOLDS.mediumRows} rows).`,
  thresholds: STALE_STATS_THRESHOLDS,
  async run({ target, signal, thresholds }) {
    return readOnly(target, signal, async (client) => {
      const t = { ...STALE_STATS_THRESHOLDS, ...thresholds };
      const { rows } = await client.query<Row>(
        `WITH o AS (
           SELECT s.*, c.reltuples, ${MAY_MAINTAIN_SQL} AS may_maintain,
                  (SELECT x.option_value FROM pg_options_to_table(c.reloptions) x WHERE x.option_name = 'autovacuum_enabled') AS enabled,
                  (SELECT x.option_value FROM pg_options_to_table(c.reloptions) x WHERE x.option_name = 'autovacuum_analyze_threshold')::bigint AS own_threshold,
                  (SELECT x.option_value FROM pg_options_to_table(c.reloptions) x WHERE x.option_name = 'autovacuum_analyze_scale_factor')::float8 AS own_scale
             FROM pg_stat_user_tables s JOIN pg_class c ON c.oid = s.relid
            WHERE ${notOwnSchemaSql("s.schemaname")} AND s.n_live_tup >= $1::bigint AND s.n_mod_since_analyze >= greatest($2::float8, s.n_live_tup * $3::float8)),
         j AS (
           SELECT o.*, current_setting('autovacuum') = 'on' AND NOT coalesce(o.enabled ~* '^(false|off|no|0)$', false) AS autoanalyze,
                  coalesce(own_threshold, current_setting('autovacuum_analyze_threshold')::bigint)
                    + coalesce(own_scale, current_setting('autovacuum_analyze_scale_factor')::float8) * greatest(o.reltuples, 0) AS trigger,
                  greatest(o.last_analyze, o.last_autoanalyze) AS analyzed
             FROM o)
         SELECT schemaname AS schema, relname AS "table", n_live_tup::text AS live_rows, n_mod_since_analyze::text AS changes,
                ceil(trigger)::bigint::text AS trigger, autoanalyze, analyzed AS last_analyze, may_maintain
           FROM j
          WHERE NOT autoanalyze OR n_mod_since_analyze < trigger OR analyzed < now() - make_interval(hours => $4)
          ORDER BY n_mod_since_analyze DESC LIMIT 20`,
        [t.minRows, t.minChanges, t.changedFraction, t.overdueHours],
      );
      return rows.length === 0 ? { status: "passed" } : { status: "issues", issues: rows.map((row) => toIssue(row, t.mediumRows)) };
    });
  },
};

function toIssue(row: Row, mediumRows: number): IssueDraft {
  const liveRows = Number(row.live_rows);
  const changes = Number(row.changes);
  const trigger = Number(row.trigger);
  const why = !row.autoanalyze
    ? "autovacuum is off for it, so nothing analyzes it but a person"
    : changes < trigger
      ? `autovacuum analyzes it only after ${trigger} changes`
      : "autovacuum has not analyzed it although it is past its trigger (autovacuum does not keep up)";
  return {
    severity: liveRows >= mediumRows ? "medium" : "low",
    title: `Statistics of ${row.schema}.${row.table} are stale`,
    description: `${changes} rows changed since the last ANALYZE of a ${liveRows}-row table, and ${why}; the planner may choose slow plans.`,
    subject: `${row.schema}.${row.table}`,
    evidence: { schema: row.schema, table: row.table, liveRows, changesSinceAnalyze: changes, autoanalyzeTrigger: trigger, autoanalyze: row.autoanalyze, lastAnalyze: row.last_analyze?.toISOString() ?? null, mayMaintain: row.may_maintain },
    recommendation:
      (row.autoanalyze && changes >= trigger
        ? "Run ANALYZE on the table now; then find out why autovacuum falls behind (long transactions, too few autovacuum_max_workers, cost limits)."
        : "Run ANALYZE on the table; then let autovacuum keep it current (re-enable it, or lower autovacuum_analyze_threshold / autovacuum_analyze_scale_factor for it).") + maintenanceRefused(row.may_maintain),
  };
}
