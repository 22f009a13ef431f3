import type { Check, IssueDraft } from "../../catalogue";
import { sqlIdentifier, sqlQualified } from "../../fixes/quote";
import { leftOutNote, libraryOwnerSql, readOnly, notOwnSchemaSql } from "./shared";

/** PostgreSQL indexes the referenced side of a foreign key (it must be unique) but not the
 * referencing columns. Without an index whose leading columns are the foreign key's columns,
 * every DELETE (or key UPDATE) on the referenced table scans the referencing table to check or
 * cascade, under a lock, and joins from parent to children scan too (PostgreSQL docs, 5.5.5
 * "Foreign Keys": "it is often a good idea to index the referencing columns too").
 * Judged on small tables too (the table will grow); severity from size and writes:
 * - medium when the referencing table has `mediumRows` (10,000) rows or more (one scan per
 *   referenced delete reads them all), or when the referenced table has seen
 *   `referencedChanges` (100) updates + deletes since statistics began while the referencing
 *   table has `rowsWhenReferencedChanges` (1,000) rows (100 deletes x 1,000 rows read = 100,000
 *   rows for what an index does in 100 lookups). n_tup_upd counts all updates, also those that
 *   leave the key alone (which do not scan): an upper bound.
 * - low otherwise (small, quiet tables: the advice stands, nothing hurts yet).
 * Partitioned tables are judged on the parent (their partitions' rows and writes summed).
 * Left out (and named in the outcome's note): temporary tables (this or other sessions'), and
 * tables an extension or a library owns (libraryOwnerSql: pg-boss's queue and job partitions,
 * graphile-worker, LangGraph's checkpointer), whose schema the application's migrations do not
 * manage. The Prisma advice (@@index) is given only for tables in a schema holding
 * _prisma_migrations: elsewhere Prisma does not manage the table. */
const FK_INDEX_THRESHOLDS = { mediumRows: 10_000, referencedChanges: 100, rowsWhenReferencedChanges: 1_000 };

interface Row {
  schema: string;
  table: string;
  constraint: string;
  columns: string[];
  definition: string;
  ref_schema: string;
  ref_table: string;
  rows: string;
  bytes: string;
  writes: string;
  ref_updates: string;
  ref_deletes: string;
  library: string | null;
  prisma: boolean;
}

const FK_LIMIT = 50;

export const dbForeignKeyWithoutIndex: Check = {
  code: "db.foreign_key_without_index",
  domain: "database",
  title: "Foreign keys without an index",
  description:
    `Foreign keys whose referencing columns lead no valid, non-partial index: medium on ${FK_INDEX_THRESHOLDS.mediumRows.toLocaleString("en-US")}+ rows, or when the referenced table has ` +
    `${FK_INDEX_THRESHOLDS.referencedChanges}+ updates/deletes and the referencing one ${FK_INDEX_THRESHOLDS.rowsWhenReferencedChanges.toLocaleString("en-US")}+ rows; low otherwise.`,
  thresholds: FK_INDEX_THRESHOLDS,
  async run({ target, signal, thresholds }) {
    const t = { ...FK_INDEX_THRESHOLDS, ...thresholds };
    return readOnly(target, signal, async (client) => {
      // An index covers the key when its first n columns are the key's n columns, in any order
      // (the check's lookup is an equality on all of them). Partial and invalid indexes do not.
      const { rows } = await client.query<Row>(
        `WITH fk AS (
           SELECT con.oid, con.conname, con.conrelid, con.confrelid, con.conkey
             FROM pg_constraint con JOIN pg_class c ON c.oid = con.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE con.contype = 'f' AND con.conparentid = 0 AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND ${notOwnSchemaSql("n.nspname")} AND c.relpersistence <> 't'
              AND NOT EXISTS (SELECT 1 FROM pg_index i WHERE i.indrelid = con.conrelid AND i.indisvalid AND i.indpred IS NULL
                                 AND (i.indkey::int2[])[0:cardinality(con.conkey) - 1] @> con.conkey
                                 AND (i.indkey::int2[])[0:cardinality(con.conkey) - 1] <@ con.conkey)),
         sizes AS (
           SELECT rel.oid, sum(greatest(lc.reltuples, s.n_live_tup, 0))::bigint AS rows, sum(pg_table_size(lc.oid))::bigint AS bytes,
                  sum(coalesce(s.n_tup_ins + s.n_tup_upd + s.n_tup_del, 0))::bigint AS writes,
                  sum(coalesce(s.n_tup_upd, 0))::bigint AS updates, sum(coalesce(s.n_tup_del, 0))::bigint AS deletes
             FROM (SELECT conrelid AS oid FROM fk UNION SELECT confrelid FROM fk) rel JOIN pg_class c ON c.oid = rel.oid
             CROSS JOIN LATERAL (SELECT rel.oid AS leaf WHERE c.relkind <> 'p'
                                 UNION ALL SELECT pt.relid FROM pg_partition_tree(rel.oid) pt WHERE c.relkind = 'p' AND pt.isleaf) leaves
             JOIN pg_class lc ON lc.oid = leaves.leaf LEFT JOIN pg_stat_user_tables s ON s.relid = lc.oid
            GROUP BY rel.oid)
         SELECT * FROM (
         SELECT n.nspname AS schema, c.relname AS "table", fk.conname AS "constraint", coalesce(sc.rows, 0) AS n_rows,
                (SELECT array_agg(a.attname::text ORDER BY k.ord) FROM unnest(fk.conkey) WITH ORDINALITY k(attnum, ord)
                   JOIN pg_attribute a ON a.attrelid = fk.conrelid AND a.attnum = k.attnum) AS columns,
                pg_get_constraintdef(fk.oid) AS definition, rn.nspname AS ref_schema, r.relname AS ref_table,
                coalesce(sc.rows, 0)::text AS rows, coalesce(sc.bytes, 0)::text AS bytes, coalesce(sc.writes, 0)::text AS writes,
                coalesce(sr.updates, 0)::text AS ref_updates, coalesce(sr.deletes, 0)::text AS ref_deletes,
                ${libraryOwnerSql("c")} AS library,
                EXISTS (SELECT 1 FROM pg_class p WHERE p.relnamespace = c.relnamespace AND p.relname = '_prisma_migrations' AND p.relkind = 'r') AS prisma
           FROM fk JOIN pg_class c ON c.oid = fk.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace
           JOIN pg_class r ON r.oid = fk.confrelid JOIN pg_namespace rn ON rn.oid = r.relnamespace
           LEFT JOIN sizes sc ON sc.oid = fk.conrelid LEFT JOIN sizes sr ON sr.oid = fk.confrelid
         ) found
          ORDER BY library IS NOT NULL, n_rows DESC, 1, 2, 3
          LIMIT ${FK_LIMIT * 4}`,
      );
      const own = rows.filter((row) => row.library === null).slice(0, FK_LIMIT);
      const note = leftOutNote("foreign keys", rows.filter((row) => row.library !== null).map((row) => ({ owner: row.library ?? "", name: `${row.schema}.${row.table}.${row.constraint}` })));
      if (own.length === 0) return { status: "passed", ...(note ? { note } : {}) };
      return { status: "issues", issues: own.map((row) => toIssue(row, t)), ...(note ? { note } : {}) };
    });
  },
};

function toIssue(row: Row, t: typeof FK_INDEX_THRESHOLDS): IssueDraft {
  const rows = Number(row.rows);
  const refChanges = Number(row.ref_updates) + Number(row.ref_deletes);
  const large = rows >= t.mediumRows;
  const parentChurn = refChanges >= t.referencedChanges && rows >= t.rowsWhenReferencedChanges;
  const columns = row.columns.map(sqlIdentifier).join(", ");
  const why = large
    ? `${row.schema}.${row.table} has about ${rows.toLocaleString("en-US")} rows: every delete on ${row.ref_table} reads them all`
    : parentChurn
      ? `${row.ref_schema}.${row.ref_table} has had ${refChanges.toLocaleString("en-US")} updates/deletes, each scanning the ${rows.toLocaleString("en-US")} rows of ${row.table}`
      : `the table is small today (about ${rows.toLocaleString("en-US")} rows), so nothing hurts yet`;
  return {
    severity: large || parentChurn ? "medium" : "low",
    title: `Foreign key ${row.constraint} on ${row.schema}.${row.table} (${row.columns.join(", ")}) has no index`,
    description: `No valid index leads with ${row.columns.join(", ")}: deleting or re-keying a row of ${row.ref_schema}.${row.ref_table} scans ${row.table}, and joins from ${row.ref_table} to it scan too; ${why}.`,
    subject: `${row.schema}.${row.table}.${row.constraint}`,
    evidence: {
      schema: row.schema,
      table: row.table,
      constraint: row.constraint,
      columns: row.columns,
      definition: row.definition,
      referencedSchema: row.ref_schema,
      referencedTable: row.ref_table,
      rows,
      sizeBytes: Number(row.bytes),
      writes: Number(row.writes),
      referencedUpdates: Number(row.ref_updates),
      referencedDeletes: Number(row.ref_deletes),
      prismaManaged: row.prisma,
    },
    recommendation: row.prisma
      ? `Prisma Migrate manages this schema (${row.schema}._prisma_migrations): add @@index([${row.columns.join(", ")}]) to the model of ${row.table} (its field names, where @map renames the columns) and migrate; ` +
        `an index made by hand drifts from the schema. The migration's CREATE INDEX blocks writes to the table while it builds: on a large table, edit the generated migration to CREATE INDEX CONCURRENTLY (alone in its migration).`
      : `Index the referencing columns: CREATE INDEX CONCURRENTLY ON ${sqlQualified(row.schema, row.table)} (${columns}); (in the migration tool that manages this table, if one does).`,
  };
}
