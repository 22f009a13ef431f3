import type { Check } from "../../catalogue";
import { sqlQualified } from "../../fixes/quote";
import { readOnly, notOwnSchemaSql } from "./shared";

interface Row {
  schema: string;
  table: string;
  redundant: string;
  kept: string;
  definition: string;
  bytes: string;
}

/** Two indexes with the same columns, operator classes, expressions and predicate: one is
 * redundant. The one kept is the unique (or primary key) one, else the older. */
export const dbDuplicateIndexes: Check = {
  code: "db.duplicate_indexes",
  domain: "database",
  title: "Duplicate indexes",
  description: "Indexes identical to another on the same table (same columns, classes, expressions, predicate) (low).",
  async run({ target, signal }) {
    return readOnly(target, signal, async (client) => {
      const { rows } = await client.query<Row>(
        `SELECT DISTINCT ON (r.indexrelid) n.nspname AS schema, t.relname AS "table", ri.relname AS redundant, ki.relname AS kept,
                pg_get_indexdef(r.indexrelid) AS definition, pg_relation_size(r.indexrelid)::text AS bytes
           FROM pg_index r JOIN pg_index k ON k.indrelid = r.indrelid AND k.indexrelid <> r.indexrelid
            AND k.indkey::text = r.indkey::text AND k.indclass::text = r.indclass::text
            AND k.indoption::text = r.indoption::text AND k.indcollation::text = r.indcollation::text
            AND coalesce(pg_get_expr(k.indexprs, k.indrelid), '') = coalesce(pg_get_expr(r.indexprs, r.indrelid), '')
            AND coalesce(pg_get_expr(k.indpred, k.indrelid), '') = coalesce(pg_get_expr(r.indpred, r.indrelid), '')
           JOIN pg_class ri ON ri.oid = r.indexrelid JOIN pg_class ki ON ki.oid = k.indexrelid
           JOIN pg_class t ON t.oid = r.indrelid JOIN pg_namespace n ON n.oid = t.relnamespace
           JOIN pg_am ra ON ra.oid = ri.relam JOIN pg_am ka ON ka.oid = ki.relam
          WHERE ra.amname = ka.amname AND r.indisvalid AND k.indisvalid AND NOT r.indisprimary
            AND (k.indisunique AND NOT r.indisunique OR (k.indisunique = r.indisunique AND k.indexrelid < r.indexrelid))
            AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND ${notOwnSchemaSql("n.nspname")}
          ORDER BY r.indexrelid, k.indisunique DESC, k.indexrelid`,
      );
      if (rows.length === 0) return { status: "passed" };
      return {
        status: "issues",
        issues: rows.map((row) => ({
          severity: "low" as const,
          title: `Index ${row.schema}.${row.redundant} duplicates ${row.kept}`,
          description: `Both indexes on ${row.table} are the same; the duplicate costs ${Math.round(Number(row.bytes) / 1024)} kB and slows every write.`,
          subject: `${row.schema}.${row.redundant}`,
          evidence: { schema: row.schema, table: row.table, redundantIndex: row.redundant, keptIndex: row.kept, definition: row.definition, sizeBytes: Number(row.bytes) },
          recommendation: `Drop the duplicate in a migration: DROP INDEX CONCURRENTLY ${sqlQualified(row.schema, row.redundant)}; (and remove it from the Prisma schema if it is declared there).`,
        })),
      };
    });
  },
};
