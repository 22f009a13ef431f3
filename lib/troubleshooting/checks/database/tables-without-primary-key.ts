import type { Check, IssueDraft } from "../../catalogue";
import { sqlIdentifier, sqlQualified } from "../../fixes/quote";
import { readOnly } from "./shared";

/** Ordinary and partitioned user tables without a primary key (low). PgHero does not list these;
 * logical-replication tooling does, because PostgreSQL cannot publish UPDATE or DELETE of a
 * table whose replica identity is the default and which has no primary key (it errors on the
 * publisher: "cannot update table ... because it does not have a replica identity and publishes
 * updates"). Without a key, duplicate rows cannot be told apart and ORMs (Prisma needs @id or
 * @unique) cannot address a row. Partitions are judged through their partitioned parent;
 * tables that belong to an extension are left out. A unique index on NOT NULL columns is
 * reported: it could become the primary key (ALTER TABLE ... ADD PRIMARY KEY USING INDEX). */
export const NO_PRIMARY_KEY_LIMIT = 50;

interface Row {
  schema: string;
  table: string;
  partitioned: boolean;
  rows: string;
  replica_identity: string;
  candidate: { index: string; constraint: string | null; columns: string[] } | null;
  unique_indexes: string[] | null;
}

const IDENTITY: Record<string, string> = { d: "default", n: "nothing", f: "full", i: "index" };

export const dbTablesWithoutPrimaryKey: Check = {
  code: "db.tables_without_primary_key",
  domain: "database",
  title: "Tables without a primary key",
  description: "User tables (partitioned ones through their parent) without a primary key, with row estimate, replica identity and any unique index that could become the key (low).",
  async run({ target, signal }) {
    return readOnly(target, signal, async (client) => {
      const { rows } = await client.query<Row>(
        `WITH t AS (
           SELECT c.oid, n.nspname AS schema, c.relname AS "table", c.relkind = 'p' AS partitioned, c.relreplident::text AS replica_identity,
                  greatest(c.reltuples, s.n_live_tup, 0)::bigint AS rows
             FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace LEFT JOIN pg_stat_user_tables s ON s.relid = c.oid
            WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition AND c.relpersistence <> 't'
              AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_%'
              AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conrelid = c.oid AND k.contype = 'p')
              AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e'))
         SELECT t.schema, t."table", t.partitioned, t.rows::text AS rows, t.replica_identity,
                (SELECT jsonb_build_object('index', i.relname, 'constraint', (SELECT k.conname FROM pg_constraint k WHERE k.conindid = x.indexrelid AND k.conrelid = t.oid LIMIT 1), 'columns', (SELECT jsonb_agg(a.attname ORDER BY k.ord) FROM unnest(x.indkey::int2[]) WITH ORDINALITY k(attnum, ord)
                                                                                    JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum))
                   FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid
                  WHERE x.indrelid = t.oid AND x.indisunique AND x.indisvalid AND x.indimmediate AND x.indpred IS NULL AND x.indexprs IS NULL
                    AND NOT EXISTS (SELECT 1 FROM unnest(x.indkey::int2[]) k(attnum) JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum WHERE NOT a.attnotnull)
                  ORDER BY x.indnatts, i.relname LIMIT 1) AS candidate,
                (SELECT array_agg(i.relname::text ORDER BY i.relname) FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid WHERE x.indrelid = t.oid AND x.indisunique) AS unique_indexes
           FROM t ORDER BY t.rows DESC, 1, 2 LIMIT ${NO_PRIMARY_KEY_LIMIT}`,
      );
      return rows.length === 0 ? { status: "passed" } : { status: "issues", issues: rows.map(toIssue) };
    });
  },
};

function toIssue(row: Row): IssueDraft {
  const rows = Number(row.rows);
  const identity = IDENTITY[row.replica_identity] ?? row.replica_identity;
  const table = sqlQualified(row.schema, row.table);
  const replication =
    identity === "full" || identity === "index"
      ? `Its replica identity is ${identity}, so logical replication can still publish its UPDATEs and DELETEs${identity === "full" ? " (each one matched by comparing whole rows: slow on the subscriber)" : ""}.`
      : "Logical replication cannot publish its UPDATEs and DELETEs (no primary key and no replica identity): they fail on the publisher once the table is in a publication.";
  return {
    severity: "low",
    title: `${row.partitioned ? "Partitioned table" : "Table"} ${row.schema}.${row.table} has no primary key`,
    description: `${row.schema}.${row.table} (about ${rows.toLocaleString("en-US")} rows) has no primary key: duplicate rows cannot be told apart and tools cannot address one row. ${replication}`,
    subject: `${row.schema}.${row.table}`,
    evidence: {
      schema: row.schema,
      table: row.table,
      partitioned: row.partitioned,
      rows,
      replicaIdentity: identity,
      uniqueIndexes: row.unique_indexes ?? [],
      primaryKeyCandidate: row.candidate,
    },
    recommendation: row.candidate ? promote(table, row.table, row.candidate) : `Add a key in a migration: an existing column set that is unique and NOT NULL, or a new identity column (ALTER TABLE ${table} ADD COLUMN id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY; rewrites the table: plan it on a large one).`,
  };
}

/** A standalone unique index becomes the key as it is; one that backs a UNIQUE constraint cannot
 * (PostgreSQL: "index ... is already associated with a constraint"), so a twin is built first. */
function promote(table: string, name: string, candidate: { index: string; constraint: string | null; columns: string[] }): string {
  const columns = candidate.columns.map(sqlIdentifier).join(", ");
  const prisma = "(declare it @id/@@id in the Prisma schema)";
  if (!candidate.constraint) {
    return `The unique index ${candidate.index} (${candidate.columns.join(", ")}, all NOT NULL) can become the key without a rebuild: ALTER TABLE ${table} ADD PRIMARY KEY USING INDEX ${sqlIdentifier(candidate.index)}; ${prisma}.`;
  }
  const pkey = sqlIdentifier(`${name}_pkey`.slice(0, 63));
  return (
    `The UNIQUE constraint ${candidate.constraint} (${candidate.columns.join(", ")}, all NOT NULL) can become the key: CREATE UNIQUE INDEX CONCURRENTLY ${pkey} ON ${table} (${columns}); ` +
    `ALTER TABLE ${table} ADD PRIMARY KEY USING INDEX ${pkey}; ALTER TABLE ${table} DROP CONSTRAINT ${sqlIdentifier(candidate.constraint)}; ${prisma}.`
  );
}
