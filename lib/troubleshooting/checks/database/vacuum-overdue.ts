import type { Check, IssueDraft } from "../../catalogue";
import { readOnly } from "./shared";

/** check_postgres's last_vacuum default is 1 day (warning) / 2 days (critical); churn must exist. */
export const VACUUM_THRESHOLDS = { overdueDays: 2, minChanges: 1_000 };

interface Row {
  schema: string;
  table: string;
  autovacuum_disabled: boolean;
  changes: string;
  last_vacuum: Date | null;
}

export const dbVacuumOverdue: Check = {
  code: "db.vacuum_overdue",
  domain: "database",
  title: "Vacuum overdue",
  description: `Tables with autovacuum disabled, or with more dead rows than autovacuum's own trigger (and ${VACUUM_THRESHOLDS.minChanges}+) and no vacuum for ${VACUUM_THRESHOLDS.overdueDays} days (or ever) (medium).`,
  thresholds: VACUUM_THRESHOLDS,
  async run({ target, signal, thresholds }) {
    const t = { ...VACUUM_THRESHOLDS, ...thresholds };
    return readOnly(target, signal, async (client) => {
      const { rows } = await client.query<Row>(
        `WITH t AS (
           SELECT s.*, EXISTS (SELECT 1 FROM unnest(c.reloptions) o WHERE o ~* '^autovacuum_enabled=(false|off|no|0)$') AS autovacuum_disabled
             FROM pg_stat_user_tables s JOIN pg_class c ON c.oid = s.relid)
         SELECT schemaname AS schema, relname AS "table", autovacuum_disabled,
                (n_tup_upd + n_tup_del + n_dead_tup)::text AS changes, greatest(last_vacuum, last_autovacuum) AS last_vacuum
           FROM t
          WHERE autovacuum_disabled
             OR (n_dead_tup >= greatest($1::bigint, current_setting('autovacuum_vacuum_threshold')::bigint
                                      + current_setting('autovacuum_vacuum_scale_factor')::float8 * n_live_tup)
                 AND coalesce(greatest(last_vacuum, last_autovacuum), '-infinity') < now() - make_interval(days => $2))
          ORDER BY n_dead_tup DESC LIMIT 20`,
        [t.minChanges, t.overdueDays],
      );
      return rows.length === 0 ? { status: "passed" } : { status: "issues", issues: rows.map(toIssue) };
    });
  },
};

function toIssue(row: Row): IssueDraft {
  return {
    severity: "medium",
    title: row.autovacuum_disabled ? `Autovacuum is disabled on ${row.schema}.${row.table}` : `${row.schema}.${row.table} has not been vacuumed ${row.last_vacuum ? "recently" : "ever"}`,
    description: "Without vacuum, dead rows accumulate, the table and its indexes grow, and transaction ids are not frozen.",
    subject: `${row.schema}.${row.table}`,
    evidence: { schema: row.schema, table: row.table, autovacuumDisabled: row.autovacuum_disabled, lastVacuum: row.last_vacuum?.toISOString() ?? null },
    recommendation: row.autovacuum_disabled
      ? `Re-enable it: ALTER TABLE "${row.schema}"."${row.table}" RESET (autovacuum_enabled); until then run VACUUM on it regularly.`
      : "Run VACUUM now, and check why autovacuum does not keep up (long transactions, too few workers, throttling).",
  };
}
