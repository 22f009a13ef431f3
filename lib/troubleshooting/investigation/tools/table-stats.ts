// One user table of the target database: its pg_stat_user_tables figures (tuples, scans, vacuum
// and analyze times), sizes, and its indexes with their use. The name is matched against the
// catalog as a bound parameter, never put into SQL: a name that is not a user table is refused.
import { z } from "zod";
import { iso, readOnlyTransaction } from "./read-only";
import { type InvestigationTool, ToolRefusedError } from "./tool";

/** Indexes listed at most (largest first). */
export const INDEXES_MAX = 10;

const args = z
  .object({ table: z.string().min(1).max(200).describe('a table of the target database: "name" or "schema.name" (quote mixed-case parts as in SQL: "User" or public."User")') })
  .strict();

/** "schema.name", `"Schema"."Name"` or "name": each part with whether it was quoted; null when
 * the text is not one or two such parts. */
export function parseTableName(text: string): { schema: { name: string; quoted: boolean } | null; name: { name: string; quoted: boolean } } | null {
  const part = `("(?:[^"]|"")+"|[^."\\s]+)`;
  const match = new RegExp(`^\\s*(?:${part}\\.)?${part}\\s*$`).exec(text);
  if (!match) return null;
  const read = (raw: string | undefined) =>
    raw === undefined ? null : raw.startsWith('"') ? { name: raw.slice(1, -1).replaceAll('""', '"'), quoted: true } : { name: raw, quoted: false };
  const name = read(match[2]);
  return name ? { schema: read(match[1]), name } : null;
}

interface TableRow {
  relid: number;
  schemaname: string;
  relname: string;
  n_live_tup: string;
  n_dead_tup: string;
  seq_scan: string;
  seq_tup_read: string;
  idx_scan: string | null;
  n_tup_ins: string;
  n_tup_upd: string;
  n_tup_del: string;
  n_mod_since_analyze: string;
  last_vacuum: Date | null;
  last_autovacuum: Date | null;
  last_analyze: Date | null;
  last_autoanalyze: Date | null;
  vacuum_count: string;
  autovacuum_count: string;
  table_bytes: string;
  total_bytes: string;
  indexes_bytes: string;
  estimated_rows: number;
}

interface IndexRow {
  name: string;
  definition: string;
  bytes: string;
  idx_scan: string;
  is_unique: boolean;
  is_primary: boolean;
  is_valid: boolean;
}

// Unquoted parts match as PostgreSQL folds them (lower case) or as written; quoted ones exactly.
const TABLE_SQL = `
SELECT t.relid::int AS relid, t.schemaname::text, t.relname::text, t.n_live_tup::text, t.n_dead_tup::text, t.seq_scan::text, t.seq_tup_read::text,
       t.idx_scan::text, t.n_tup_ins::text, t.n_tup_upd::text, t.n_tup_del::text, t.n_mod_since_analyze::text,
       t.last_vacuum, t.last_autovacuum, t.last_analyze, t.last_autoanalyze, t.vacuum_count::text, t.autovacuum_count::text,
       pg_relation_size(t.relid)::text AS table_bytes, pg_total_relation_size(t.relid)::text AS total_bytes, pg_indexes_size(t.relid)::text AS indexes_bytes,
       c.reltuples::float8 AS estimated_rows
  FROM pg_stat_user_tables t JOIN pg_class c ON c.oid = t.relid
 WHERE (t.relname = $2 OR (NOT $3 AND t.relname = lower($2)))
   AND ($1::text IS NULL OR t.schemaname = $1 OR (NOT $4 AND t.schemaname = lower($1)))
 ORDER BY t.schemaname = ANY(current_schemas(false)) DESC, t.schemaname, t.relname
 LIMIT 5`;

const INDEXES_SQL = `
SELECT s.indexrelname::text AS name, pg_get_indexdef(s.indexrelid) AS definition, pg_relation_size(s.indexrelid)::text AS bytes,
       s.idx_scan::text, i.indisunique AS is_unique, i.indisprimary AS is_primary, i.indisvalid AS is_valid
  FROM pg_stat_user_indexes s JOIN pg_index i ON i.indexrelid = s.indexrelid
 WHERE s.relid = $1
 ORDER BY pg_relation_size(s.indexrelid) DESC, s.indexrelname
 LIMIT ${INDEXES_MAX + 1}`;

const num = (v: string | null) => (v === null ? null : Number(v));

export const tableStats: InvestigationTool<z.output<typeof args>> = {
  name: "table_stats",
  description:
    "Statistics of one user table of the target database: live and dead tuples, sequential and index scans, inserts/updates/deletes, last (auto)vacuum and (auto)analyze times, sizes in bytes (table, indexes, total) and its indexes (definition, size in bytes, idx_scan). Use it for bloat, vacuum, missing or unused index findings.",
  args,
  async run({ table }, ctx) {
    const parsed = parseTableName(table);
    if (!parsed) throw new ToolRefusedError(`"${table.slice(0, 80)}" is not a table name ("name" or "schema.name")`);
    return readOnlyTransaction(ctx, async (client) => {
      const { rows } = await client.query<TableRow>(TABLE_SQL, [parsed.schema?.name ?? null, parsed.name.name, parsed.name.quoted, parsed.schema?.quoted ?? false]);
      // Without a schema, the one on the search_path comes first; the others are named.
      const first = rows[0];
      if (!first) throw new ToolRefusedError(`no user table named ${table.slice(0, 80)} in the target database (system catalogs, views and other relations are not looked at)`);
      const indexes = (await client.query<IndexRow>(INDEXES_SQL, [first.relid])).rows;
      const live = Number(first.n_live_tup);
      const dead = Number(first.n_dead_tup);
      return {
        schema: first.schemaname,
        table: first.relname,
        otherMatches: rows.slice(1).map((r) => `${r.schemaname}.${r.relname}`),
        liveTuples: live,
        deadTuples: dead,
        deadTuplePercent: live + dead > 0 ? Math.round((dead / (live + dead)) * 1000) / 10 : 0,
        estimatedRows: Math.max(0, Math.round(first.estimated_rows)),
        seqScans: Number(first.seq_scan),
        seqTuplesRead: Number(first.seq_tup_read),
        idxScans: num(first.idx_scan),
        inserts: Number(first.n_tup_ins),
        updates: Number(first.n_tup_upd),
        deletes: Number(first.n_tup_del),
        modifiedSinceAnalyze: Number(first.n_mod_since_analyze),
        lastVacuum: iso(first.last_vacuum),
        lastAutovacuum: iso(first.last_autovacuum),
        lastAnalyze: iso(first.last_analyze),
        lastAutoanalyze: iso(first.last_autoanalyze),
        vacuumCount: Number(first.vacuum_count),
        autovacuumCount: Number(first.autovacuum_count),
        tableBytes: Number(first.table_bytes),
        indexesBytes: Number(first.indexes_bytes),
        totalBytes: Number(first.total_bytes),
        indexes: indexes.slice(0, INDEXES_MAX).map((i) => ({
          name: i.name,
          definition: i.definition,
          sizeBytes: Number(i.bytes),
          idxScan: Number(i.idx_scan),
          unique: i.is_unique,
          primary: i.is_primary,
          valid: i.is_valid,
        })),
        indexesTruncated: indexes.length > INDEXES_MAX,
      };
    });
  },
};
