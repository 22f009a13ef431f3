import type { Check, IssueDraft } from "../../catalogue";
import { sqlIdentifier, sqlQualified } from "../../fixes/quote";
import { leftOutNote, libraryOwnerSql, readOnly, notOwnSchemaSql } from "./shared";

/** Ordinary and partitioned user tables without a primary key (low). PgHero does not list these;
 * logical-replication tooling does, because PostgreSQL cannot publish UPDATE or DELETE of a
 * table whose replica identity is the default and which has no primary key (it errors on the
 * publisher: "cannot update table ... because it does not have a replica identity and publishes
 * updates"). Without a key, duplicate rows cannot be told apart and ORMs (Prisma needs @id or
 * @unique) cannot address a row. Partitions are judged through their partitioned parent;
 * temporary tables and tables an extension or a library owns (libraryOwnerSql: pg-boss,
 * graphile-worker, LangGraph's checkpointer) are left out and named in the outcome's note.
 * A table with a unique index on NOT NULL columns (immediate, not partial, no expression) is
 * keyed all the same: rows are told apart and addressed by it (Prisma accepts @unique; Auth.js's
 * Session and Prisma 5's implicit m:n tables `_AToB` are made so). What it lacks is the replica
 * identity a primary key gives, which matters only in a publication: such a table is reported
 * only when a publication that publishes UPDATE or DELETE includes it, otherwise it is named in
 * the note. Severity: low; high when a publication publishes its UPDATEs or DELETEs and its
 * replica identity is default (no key) or nothing: PostgreSQL then refuses those statements on
 * the table ("cannot update table ... because it does not have a replica identity and publishes
 * updates"), so the application's writes fail now. */
const NO_PRIMARY_KEY_LIMIT = 50;

interface Row {
  schema: string;
  table: string;
  partitioned: boolean;
  rows: string;
  replica_identity: string;
  candidate: { index: string; constraint: string | null; columns: string[] } | null;
  unique_indexes: string[] | null;
  library: string | null;
  /** Publications that include the table and publish its UPDATEs or DELETEs. */
  publications: string[] | null;
  prisma: boolean;
}

const IDENTITY: Record<string, string> = { d: "default", n: "nothing", f: "full", i: "index" };

export const dbTablesWithoutPrimaryKey: Check = {
  code: "db.tables_without_primary_key",
  domain: "database",
  title: "Tables without a primary key",
  description:
    "User tables (partitioned ones through their parent) without a primary key nor a unique NOT NULL index, and keyless tables in a publication, with row estimate, replica identity and any unique index that could become the key " +
    "(low; high when a publication publishes UPDATE/DELETE and the table has no replica identity: PostgreSQL refuses them).",
  async run({ target, signal }) {
    return readOnly(target, signal, async (client) => {
      const { rows } = await client.query<Row>(
        `WITH t AS (
           SELECT c.oid, n.nspname AS schema, c.relname AS "table", c.relkind = 'p' AS partitioned, c.relreplident::text AS replica_identity,
                  greatest(c.reltuples, s.n_live_tup, 0)::bigint AS rows, ${libraryOwnerSql("c")} AS library,
                  EXISTS (SELECT 1 FROM pg_class p WHERE p.relnamespace = c.relnamespace AND p.relname = '_prisma_migrations' AND p.relkind = 'r') AS prisma,
                  (SELECT array_agg(p.pubname::text ORDER BY p.pubname) FROM pg_publication p
                    WHERE (p.pubupdate OR p.pubdelete)
                      AND (p.puballtables OR EXISTS (SELECT 1 FROM pg_publication_rel r WHERE r.prpubid = p.oid AND r.prrelid = c.oid)
                           OR EXISTS (SELECT 1 FROM pg_publication_namespace pn WHERE pn.pnpubid = p.oid AND pn.pnnspid = c.relnamespace))) AS publications
             FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace LEFT JOIN pg_stat_user_tables s ON s.relid = c.oid
            WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition AND c.relpersistence <> 't'
              AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_%' AND ${notOwnSchemaSql("n.nspname")}
              AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conrelid = c.oid AND k.contype = 'p'))
         SELECT t.schema, t."table", t.partitioned, t.rows::text AS rows, t.replica_identity, t.library, t.publications, t.prisma,
                (SELECT jsonb_build_object('index', i.relname, 'constraint', (SELECT k.conname FROM pg_constraint k WHERE k.conindid = x.indexrelid AND k.conrelid = t.oid LIMIT 1), 'columns', (SELECT jsonb_agg(a.attname ORDER BY k.ord) FROM unnest(x.indkey::int2[]) WITH ORDINALITY k(attnum, ord)
                                                                                    JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum))
                   FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid
                  WHERE x.indrelid = t.oid AND x.indisunique AND x.indisvalid AND x.indimmediate AND x.indpred IS NULL AND x.indexprs IS NULL
                    AND NOT EXISTS (SELECT 1 FROM unnest(x.indkey::int2[]) k(attnum) JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum WHERE NOT a.attnotnull)
                  ORDER BY x.indnatts, i.relname LIMIT 1) AS candidate,
                (SELECT array_agg(i.relname::text ORDER BY i.relname) FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid WHERE x.indrelid = t.oid AND x.indisunique) AS unique_indexes
           FROM t ORDER BY t.library IS NOT NULL, t.rows DESC, 1, 2 LIMIT ${NO_PRIMARY_KEY_LIMIT * 4}`,
      );
      const owned = rows.filter((row) => row.library !== null);
      const keyed = rows.filter((row) => row.library === null && row.candidate !== null && row.publications === null);
      const reported = rows.filter((row) => row.library === null && !keyed.includes(row)).slice(0, NO_PRIMARY_KEY_LIMIT);
      const note =
        [
          leftOutNote("tables", owned.map((row) => ({ owner: row.library ?? "", name: `${row.schema}.${row.table}` }))),
          keyed.length > 0
            ? `Not reported: ${keyed.length} table(s) keyed by a unique index on NOT NULL columns instead of a primary key, in no publication (${keyed.slice(0, 5).map((row) => `${row.schema}.${row.table} by ${row.candidate?.index}`).join(", ")}${keyed.length > 5 ? ", ..." : ""}).`
            : undefined,
        ]
          .filter(Boolean)
          .join(" ") || undefined;
      if (reported.length === 0) return { status: "passed", ...(note ? { note } : {}) };
      return { status: "issues", issues: reported.map(toIssue), ...(note ? { note } : {}) };
    });
  },
};

function toIssue(row: Row): IssueDraft {
  const rows = Number(row.rows);
  const identity = IDENTITY[row.replica_identity] ?? row.replica_identity;
  const table = sqlQualified(row.schema, row.table);
  const published = row.publications ?? [];
  // Without a primary key, replica identity "default" identifies nothing, like "nothing".
  const refused = published.length > 0 && (identity === "default" || identity === "nothing");
  const replication = refused
    ? `It is in publication(s) ${published.join(", ")}, which publish UPDATEs or DELETEs, and has no replica identity: PostgreSQL refuses those statements on it right now ("cannot update table ... because it does not have a replica identity and publishes updates").`
    : identity === "full" || identity === "index"
      ? `Its replica identity is ${identity}, so logical replication can still publish its UPDATEs and DELETEs${identity === "full" ? " (each one matched by comparing whole rows: slow on the subscriber)" : ""}.`
      : "Logical replication cannot publish its UPDATEs and DELETEs (no primary key and no replica identity): they fail on the publisher once the table is in a publication.";
  const keyed = row.candidate
    ? `has no primary key, though the unique index ${row.candidate.index} on NOT NULL ${row.candidate.columns.join(", ")} tells its rows apart.`
    : "has no primary key: duplicate rows cannot be told apart and tools cannot address one row.";
  return {
    severity: refused ? "high" : "low",
    title: `${row.partitioned ? "Partitioned table" : "Table"} ${row.schema}.${row.table} has no primary key${refused ? ": its UPDATEs and DELETEs fail while it is published" : ""}`,
    description: `${row.schema}.${row.table} (about ${rows.toLocaleString("en-US")} rows) ${keyed} ${replication}`,
    subject: `${row.schema}.${row.table}`,
    evidence: {
      schema: row.schema,
      table: row.table,
      partitioned: row.partitioned,
      rows,
      replicaIdentity: identity,
      uniqueIndexes: row.unique_indexes ?? [],
      primaryKeyCandidate: row.candidate,
      publications: published,
      prismaManaged: row.prisma,
    },
    recommendation:
      (refused && row.candidate
        ? `At once (a catalog change, no rebuild): ALTER TABLE ${table} REPLICA IDENTITY USING INDEX ${sqlIdentifier(row.candidate.index)}; then, for good: `
        : refused
          ? `At once (every UPDATE then logs the whole old row): ALTER TABLE ${table} REPLICA IDENTITY FULL; or take the table out of the publication; then, for good: `
          : "") +
      (row.candidate ? promote(table, row.table, row.candidate, row.prisma, refused) : `Add a key in a migration: an existing column set that is unique and NOT NULL, or a new identity column (ALTER TABLE ${table} ADD COLUMN id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY; rewrites the table: plan it on a large one).`),
  };
}

/** Prisma 5 and older made an implicit many-to-many table `_AToB` with a unique index
 * `_AToB_AB_unique` on ("A", "B"); Prisma 6 made it the primary key `_AToB_AB_pkey`. */
const prismaImplicitManyToMany = (name: string, candidate: { index: string; columns: string[] }) =>
  /^_.+To.+$/.test(name) && candidate.index === `${name}_AB_unique` && candidate.columns.join(",") === "A,B";

/** A standalone unique index becomes the key as it is; one that backs a UNIQUE constraint cannot
 * (PostgreSQL: "index ... is already associated with a constraint"), so a twin is built first. */
function promote(table: string, name: string, candidate: { index: string; constraint: string | null; columns: string[] }, prismaManaged: boolean, identityByIndex: boolean): string {
  // Once the key exists it must become the replica identity again before the index that
  // served as one is dropped: a dropped identity index leaves the table with none.
  const reset = identityByIndex ? ` ALTER TABLE ${table} REPLICA IDENTITY DEFAULT;` : "";
  if (prismaManaged && prismaImplicitManyToMany(name, candidate)) {
    return `${name} is an implicit many-to-many table of Prisma 5 or older; Prisma 6+ makes its (A, B) the primary key: after upgrading, \`prisma migrate dev\` generates that migration (ADD CONSTRAINT "${name}_AB_pkey" PRIMARY KEY, DROP INDEX "${candidate.index}"): deploy it rather than altering the table by hand${identityByIndex ? ` (add ALTER TABLE ${table} REPLICA IDENTITY DEFAULT; to it between the two: the index it drops is the table's replica identity)` : ""}.`;
  }
  const columns = candidate.columns.map(sqlIdentifier).join(", ");
  const prisma = prismaManaged ? " (Prisma Migrate manages this schema: declare the key @id/@@id in the model instead, and let the migration it generates do this)" : "";
  if (!candidate.constraint) {
    return `The unique index ${candidate.index} (${candidate.columns.join(", ")}, all NOT NULL) can become the key without a rebuild: ALTER TABLE ${table} ADD PRIMARY KEY USING INDEX ${sqlIdentifier(candidate.index)};${reset}${prisma}`;
  }
  const pkey = sqlIdentifier(`${name}_pkey`.slice(0, 63));
  return (
    `The UNIQUE constraint ${candidate.constraint} (${candidate.columns.join(", ")}, all NOT NULL) can become the key: CREATE UNIQUE INDEX CONCURRENTLY ${pkey} ON ${table} (${columns}); ` +
    `ALTER TABLE ${table} ADD PRIMARY KEY USING INDEX ${pkey};${reset} ALTER TABLE ${table} DROP CONSTRAINT ${sqlIdentifier(candidate.constraint)};${prisma}`
  );
}
