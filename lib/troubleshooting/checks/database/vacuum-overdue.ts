import type { Check, IssueDraft } from "../../catalogue";
import { sqlQualified } from "../../fixes/quote";
import { MAY_MAINTAIN_SQL } from "../../fixes/database/identifiers";
import { maintenanceRefused, readOnly, notOwnSchemaSql } from "./shared";

/** check_postgres's last_vacuum default is 1 day (warning) / 2 days (critical); churn must exist.
 * A table is overdue only when autovacuum itself would vacuum it and has not for `overdueDays`:
 * - its dead rows reach autovacuum's own trigger, computed as autovacuum does (PostgreSQL docs
 *   24.1.6): autovacuum_vacuum_threshold + autovacuum_vacuum_scale_factor x reltuples (reltuples
 *   below 0, never analyzed, counts as 0), capped by autovacuum_vacuum_max_threshold (PostgreSQL
 *   18; -1 = no cap), each taken from the table's reloptions when set there, else the server's
 *   setting; and at least `minChanges` (1,000) dead rows;
 * - it is not being vacuumed right now (pg_stat_progress_vacuum);
 * - the last vacuum (manual or auto) is older than `overdueDays`; a table never vacuumed counts
 *   only when it provably existed `overdueDays` ago: its oldest (auto)analyze is that old. A
 *   table with neither timestamp may be minutes old (PostgreSQL stores no creation time), and
 *   autovacuum visits each database every autovacuum_naptime (1 min by default): not judged.
 * Tables with autovacuum_enabled = false are reported regardless (medium): nothing will ever
 * vacuum them but a person. */
const VACUUM_THRESHOLDS = { overdueDays: 2, minChanges: 1_000 };

interface Row {
  schema: string;
  table: string;
  autovacuum_disabled: boolean;
  dead_rows: string;
  trigger: string;
  threshold: string;
  scale_factor: number;
  max_threshold: string;
  from_reloptions: boolean;
  last_vacuum: Date | null;
  oldest_analyze: Date | null;
  autovacuum_count: string;
  vacuum_count: string;
  may_maintain: boolean;
}

export const dbVacuumOverdue: Check = {
  code: "db.vacuum_overdue",
  domain: "database",
  title: "Vacuum overdue",
  description:
    `Tables with autovacuum disabled, or with dead rows past autovacuum's own trigger (table reloptions honoured; and ${VACUUM_THRESHOLDS.minChanges}+) and no vacuum for ` +
    `${VACUUM_THRESHOLDS.overdueDays} days (never, for tables known to be that old) (medium).`,
  thresholds: VACUUM_THRESHOLDS,
  async run({ target, signal, thresholds }) {
    const t = { ...VACUUM_THRESHOLDS, ...thresholds };
    return readOnly(target, signal, async (client) => {
      const counts = await client.query<{ track_counts: string }>("SELECT current_setting('track_counts') AS track_counts");
      if (counts.rows[0]?.track_counts !== "on") return { status: "skipped", reason: "track_counts is off: PostgreSQL counts no dead rows (and autovacuum cannot run)" };
      const { rows } = await client.query<Row>(
        `WITH o AS (
           SELECT s.*, c.reltuples, ${MAY_MAINTAIN_SQL} AS may_maintain,
                  (SELECT x.option_value FROM pg_options_to_table(c.reloptions) x WHERE x.option_name = 'autovacuum_enabled') AS enabled,
                  (SELECT x.option_value FROM pg_options_to_table(c.reloptions) x WHERE x.option_name = 'autovacuum_vacuum_threshold')::bigint AS own_threshold,
                  (SELECT x.option_value FROM pg_options_to_table(c.reloptions) x WHERE x.option_name = 'autovacuum_vacuum_scale_factor')::float8 AS own_scale,
                  (SELECT x.option_value FROM pg_options_to_table(c.reloptions) x WHERE x.option_name = 'autovacuum_vacuum_max_threshold')::bigint AS own_max
             FROM pg_stat_user_tables s JOIN pg_class c ON c.oid = s.relid
            WHERE ${notOwnSchemaSql("s.schemaname")}),
         t AS (
           SELECT o.*, coalesce(o.enabled ~* '^(false|off|no|0)$', false) AS autovacuum_disabled,
                  coalesce(own_threshold, current_setting('autovacuum_vacuum_threshold')::bigint) AS threshold,
                  coalesce(own_scale, current_setting('autovacuum_vacuum_scale_factor')::float8) AS scale_factor,
                  coalesce(own_max, current_setting('autovacuum_vacuum_max_threshold', true)::bigint, -1) AS max_threshold,
                  (own_threshold IS NOT NULL OR own_scale IS NOT NULL OR own_max IS NOT NULL) AS from_reloptions,
                  greatest(o.last_vacuum, o.last_autovacuum) AS vacuumed,
                  least(o.last_analyze, o.last_autoanalyze) AS oldest_analyze
             FROM o),
         j AS (
           SELECT t.*, CASE WHEN max_threshold >= 0 THEN least(threshold + scale_factor * greatest(reltuples, 0), max_threshold)
                            ELSE threshold + scale_factor * greatest(reltuples, 0) END AS trigger
             FROM t)
         SELECT schemaname AS schema, relname AS "table", autovacuum_disabled, n_dead_tup::text AS dead_rows, ceil(trigger)::bigint::text AS trigger,
                threshold::text, scale_factor, max_threshold::text, from_reloptions, vacuumed AS last_vacuum, oldest_analyze,
                autovacuum_count::text, vacuum_count::text, may_maintain
           FROM j
          WHERE autovacuum_disabled
             OR (n_dead_tup >= greatest($1::float8, trigger)
                 AND NOT EXISTS (SELECT 1 FROM pg_stat_progress_vacuum p WHERE p.relid = j.relid)
                 AND coalesce(vacuumed, oldest_analyze, 'infinity') < now() - make_interval(days => $2))
          ORDER BY n_dead_tup DESC LIMIT 20`,
        [t.minChanges, t.overdueDays],
      );
      return rows.length === 0 ? { status: "passed" } : { status: "issues", issues: rows.map(toIssue) };
    });
  },
};

function toIssue(row: Row): IssueDraft {
  const dead = Number(row.dead_rows);
  const trigger = Number(row.trigger);
  const when = row.last_vacuum ? `last vacuumed ${row.last_vacuum.toISOString()}` : `never vacuumed, though it existed by ${row.oldest_analyze?.toISOString() ?? "?"} (its oldest analyze)`;
  return {
    severity: "medium",
    title: row.autovacuum_disabled ? `Autovacuum is disabled on ${row.schema}.${row.table}` : `${row.schema}.${row.table} has not been vacuumed ${row.last_vacuum ? "recently" : "ever"}`,
    description: row.autovacuum_disabled
      ? `autovacuum_enabled = false on this table (${dead.toLocaleString("en-US")} dead rows now): only a manual VACUUM cleans it, its indexes grow, and its transaction ids are not frozen.`
      : `${dead.toLocaleString("en-US")} dead rows, past autovacuum's own trigger of ${trigger.toLocaleString("en-US")}${row.from_reloptions ? " (from the table's reloptions)" : ""}; ${when}. ` +
        "Without vacuum, dead rows accumulate, the table and its indexes grow, and transaction ids are not frozen.",
    subject: `${row.schema}.${row.table}`,
    evidence: {
      schema: row.schema,
      table: row.table,
      autovacuumDisabled: row.autovacuum_disabled,
      deadRows: dead,
      vacuumTrigger: trigger,
      autovacuumVacuumThreshold: Number(row.threshold),
      autovacuumVacuumScaleFactor: row.scale_factor,
      autovacuumVacuumMaxThreshold: Number(row.max_threshold),
      triggerFromReloptions: row.from_reloptions,
      lastVacuum: row.last_vacuum?.toISOString() ?? null,
      oldestAnalyze: row.oldest_analyze?.toISOString() ?? null,
      autovacuumCount: Number(row.autovacuum_count),
      vacuumCount: Number(row.vacuum_count),
      mayMaintain: row.may_maintain,
    },
    recommendation:
      (row.autovacuum_disabled
        ? `Re-enable it: ALTER TABLE ${sqlQualified(row.schema, row.table)} RESET (autovacuum_enabled); until then run VACUUM on it regularly.`
        : "Run VACUUM now, and check why autovacuum does not keep up (long transactions, too few workers, throttling).") + maintenanceRefused(row.may_maintain),
  };
}
