import type { Check } from "../../catalogue";
import { sqlIdentifier } from "../../fixes/quote";
import { readOnly, notOwnSchemaSql } from "./shared";

/** PgHero's default: sequences past 90 % of their type's maximum. */
const SEQUENCE_THRESHOLDS = { usedFraction: 0.9, criticalFraction: 0.98 };

interface Row {
  schema: string;
  sequence: string;
  data_type: string;
  last_value: string;
  max_value: string;
  used: number;
}

export const dbSequenceExhaustion: Check = {
  code: "db.sequence_exhaustion",
  domain: "database",
  title: "Sequences running out",
  description: `Sequences past ${SEQUENCE_THRESHOLDS.usedFraction * 100} % of their maximum (high; critical past ${SEQUENCE_THRESHOLDS.criticalFraction * 100} %): inserts fail when one runs out.`,
  thresholds: SEQUENCE_THRESHOLDS,
  async run({ target, signal, thresholds }) {
    const t = { ...SEQUENCE_THRESHOLDS, ...thresholds };
    return readOnly(target, signal, async (client) => {
      // pg_sequences hides last_value from roles without SELECT or USAGE on the sequence.
      // pg_monitor does not include it: the grant is per sequence (or pg_read_all_data, 14+).
      const hidden = await client.query<{ n: number; names: string[] | null; schemas: string[] | null; role: string }>(
        `SELECT count(*)::int AS n, (array_agg(format('%I.%I', schemaname, sequencename) ORDER BY schemaname, sequencename))[1:5] AS names,
                array_agg(DISTINCT format('%I', schemaname)) AS schemas, current_user AS role
           FROM pg_sequences WHERE schemaname NOT IN ('pg_catalog', 'information_schema') AND ${notOwnSchemaSql("schemaname")}
            AND NOT has_sequence_privilege(format('%I.%I', schemaname, sequencename), 'SELECT,USAGE')`,
      );
      const hiddenCount = hidden.rows[0]?.n ?? 0;
      const names = hidden.rows[0]?.names ?? [];
      const grantee = sqlIdentifier(hidden.rows[0]?.role ?? "");
      const grants = (hidden.rows[0]?.schemas ?? []).map((schema) => `GRANT SELECT ON ALL SEQUENCES IN SCHEMA ${schema} TO ${grantee};`).join(" ");
      const { rows } = await client.query<Row>(
        `SELECT schemaname AS schema, sequencename AS sequence, data_type::text, last_value::text, max_value::text,
                (last_value::numeric / max_value::numeric)::float8 AS used
           FROM pg_sequences
          WHERE ${notOwnSchemaSql("schemaname")} AND last_value IS NOT NULL AND increment_by > 0 AND max_value > 0 AND NOT cycle
            AND last_value::numeric / max_value::numeric >= $1
          ORDER BY used DESC LIMIT 20`,
        [t.usedFraction],
      );
      if (rows.length === 0) {
        return hiddenCount > 0
          ? {
              status: "skipped",
              reason:
                `${hiddenCount} sequence(s) are not readable by this role, so how far they are used cannot be seen (${names.join(", ")}${hiddenCount > names.length ? ", ..." : ""}); ` +
                `pg_monitor does not include them: ${grants} (or GRANT pg_read_all_data TO ${grantee}; on PostgreSQL 14+)`,
            }
          : { status: "passed" };
      }
      return {
        status: "issues",
        issues: rows.map((row) => ({
          severity: row.used >= t.criticalFraction ? ("critical" as const) : ("high" as const),
          title: `Sequence ${row.schema}.${row.sequence} is ${Math.round(row.used * 1000) / 10} % used`,
          description: `It has handed out ${row.last_value} of ${row.max_value} (${row.data_type}); when it runs out, every insert that needs an id fails.`,
          subject: `${row.schema}.${row.sequence}`,
          evidence: { schema: row.schema, sequence: row.sequence, dataType: row.data_type, lastValue: row.last_value, maxValue: row.max_value, usedPercent: Math.round(row.used * 1000) / 10 },
          recommendation: "Widen it to bigint (the sequence and the column that uses it), in a migration.",
        })),
      };
    });
  },
};
