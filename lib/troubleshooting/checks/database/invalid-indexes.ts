import type { Check } from "../../catalogue";
import { readOnly } from "./shared";

interface Row {
  schema: string;
  table: string;
  index: string;
  definition: string;
  bytes: string;
}

export const dbInvalidIndexes: Check = {
  code: "db.invalid_indexes",
  domain: "database",
  title: "Invalid indexes",
  description: "Indexes marked invalid (left by a failed CREATE INDEX CONCURRENTLY): never used for reads, still maintained on every write (medium).",
  async run({ target, signal }) {
    return readOnly(target, signal, async (client) => {
      const { rows } = await client.query<Row>(
        `SELECT n.nspname AS schema, t.relname AS "table", i.relname AS index, pg_get_indexdef(i.oid) AS definition,
                pg_relation_size(i.oid)::text AS bytes
           FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid
           JOIN pg_namespace n ON n.oid = i.relnamespace
          WHERE NOT x.indisvalid AND n.nspname NOT IN ('pg_catalog', 'information_schema')
            AND NOT EXISTS (SELECT 1 FROM pg_stat_progress_create_index p WHERE p.index_relid = x.indexrelid)
          ORDER BY 1, 3`,
      );
      if (rows.length === 0) return { status: "passed" };
      return {
        status: "issues",
        issues: rows.map((row) => ({
          severity: "medium" as const,
          title: `Index ${row.schema}.${row.index} is invalid`,
          description: `The index on ${row.table} was never completed: queries cannot use it, but every write still updates it.`,
          subject: `${row.schema}.${row.index}`,
          evidence: { schema: row.schema, table: row.table, index: row.index, definition: row.definition, sizeBytes: Number(row.bytes) },
          recommendation: "Rebuild it with REINDEX INDEX CONCURRENTLY (after fixing what made it fail, e.g. duplicate values for a unique index), or drop it.",
        })),
      };
    });
  },
};
