import type { Check } from "../../catalogue";
import { MAY_MAINTAIN_SQL } from "../../fixes/database/identifiers";
import { maintenanceRefused, readOnly, notOwnSchemaSql } from "./shared";

const BLOAT_THRESHOLDS = { deadFraction: 0.2, minDeadRows: 10_000, highDeadFraction: 1 };

interface Row {
  schema: string;
  table: string;
  live: string;
  dead: string;
  last_vacuum: Date | null;
  may_maintain: boolean;
}

export const dbTableBloat: Check = {
  code: "db.table_bloat",
  domain: "database",
  title: "Dead rows piling up",
  description: `Tables whose dead rows exceed ${BLOAT_THRESHOLDS.deadFraction * 100} % of live rows and ${BLOAT_THRESHOLDS.minDeadRows}: medium (high when dead outnumber live).`,
  thresholds: BLOAT_THRESHOLDS,
  async run({ target, signal, thresholds }) {
    const t = { ...BLOAT_THRESHOLDS, ...thresholds };
    return readOnly(target, signal, async (client) => {
      const { rows } = await client.query<Row>(
        `SELECT s.schemaname AS schema, s.relname AS "table", s.n_live_tup::text AS live, s.n_dead_tup::text AS dead,
                greatest(s.last_vacuum, s.last_autovacuum) AS last_vacuum, ${MAY_MAINTAIN_SQL} AS may_maintain
           FROM pg_stat_user_tables s JOIN pg_class c ON c.oid = s.relid
          WHERE ${notOwnSchemaSql("s.schemaname")} AND s.n_dead_tup >= $1::bigint AND s.n_dead_tup > s.n_live_tup * $2::float8
          ORDER BY s.n_dead_tup DESC LIMIT 20`,
        [t.minDeadRows, t.deadFraction],
      );
      if (rows.length === 0) return { status: "passed" };
      return {
        status: "issues",
        issues: rows.map((row) => {
          const live = Number(row.live);
          const dead = Number(row.dead);
          return {
            severity: dead > live * t.highDeadFraction ? ("high" as const) : ("medium" as const),
            title: `${row.schema}.${row.table} has ${dead} dead rows (${live} live)`,
            description: "Dead rows left by updates and deletes make scans read pages of garbage until VACUUM reclaims them.",
            subject: `${row.schema}.${row.table}`,
            evidence: { schema: row.schema, table: row.table, liveRows: live, deadRows: dead, lastVacuum: row.last_vacuum?.toISOString() ?? null, mayMaintain: row.may_maintain },
            recommendation: `Run VACUUM on the table; if it recurs, make autovacuum more aggressive for it (autovacuum_vacuum_scale_factor).${maintenanceRefused(row.may_maintain)}`,
          };
        }),
      };
    });
  },
};
