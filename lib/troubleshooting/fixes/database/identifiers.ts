// Identifiers for statements that cannot take parameters (ANALYZE, VACUUM, REINDEX) come from
// the catalogue, quoted by PostgreSQL itself (format %I), never from text put into SQL.
import type pg from "pg";

export async function qualifiedTable(client: pg.ClientBase, schema: string, table: string): Promise<string | null> {
  const { rows } = await client.query<{ name: string }>(
    `SELECT format('%I.%I', n.nspname, c.relname) AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = $1 AND c.relname = $2 AND c.relkind IN ('r', 'p', 'm')`,
    [schema, table],
  );
  return rows[0]?.name ?? null;
}

/** SQL (on pg_class `c`): whether the current role may VACUUM and ANALYZE the table. ANALYZE and
 * VACUUM skip, with only a warning, tables the role may not maintain: from PostgreSQL 17 that is
 * the MAINTAIN privilege (the owner, pg_maintain members, GRANT MAINTAIN); before, the owner's
 * privileges or a superuser. */
export const MAY_MAINTAIN_SQL = `CASE WHEN current_setting('server_version_num')::int >= 170000 THEN has_table_privilege(c.oid, 'MAINTAIN')
  ELSE pg_has_role(c.relowner, 'USAGE') OR coalesce((SELECT rolsuper FROM pg_roles WHERE rolname = current_user), false) END`;

export async function mayMaintain(client: pg.ClientBase, qualified: string): Promise<boolean> {
  const { rows } = await client.query<{ ok: boolean }>(`SELECT ${MAY_MAINTAIN_SQL} AS ok FROM pg_class c WHERE c.oid = $1::regclass`, [qualified]);
  return rows[0]?.ok ?? false;
}

/** The bound for statements a fix runs (the fix timeout is 60 s by default). */
export const FIX_STATEMENT_TIMEOUT = "SET statement_timeout = '55s'";

export async function qualifiedIndex(client: pg.ClientBase, schema: string, index: string): Promise<{ name: string; valid: boolean; unique: boolean } | null> {
  const { rows } = await client.query<{ name: string; valid: boolean; unique: boolean }>(
    `SELECT format('%I.%I', n.nspname, c.relname) AS name, x.indisvalid AS valid, x.indisunique AS unique
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace JOIN pg_index x ON x.indexrelid = c.oid
      WHERE n.nspname = $1 AND c.relname = $2 AND c.relkind = 'i'`,
    [schema, index],
  );
  return rows[0] ?? null;
}

/** Counting duplicate keys reads the whole table. Above these sizes (pg_class.reltuples, an
 * estimate kept by VACUUM/ANALYZE; the heap's bytes) a GROUP BY could outlast the 5 s
 * statement_timeout of a diagnostic session, so the count is skipped with the reason. */
const DUPLICATE_COUNT_LIMITS = { maxRows: 1_000_000, maxBytes: 256 * 1024 * 1024 };

export type DuplicateCount = { counted: true; groups: number; rows: number } | { counted: false; reason: string };

/** Key values of a unique index held by more than one row (the rows its uniqueness forbids),
 * counted the way the index would judge them: only rows its predicate covers, NULL keys distinct
 * unless NULLS NOT DISTINCT. Read-only; the key expressions and the table name are deparsed and
 * quoted by PostgreSQL (pg_get_indexdef, format %I), never taken from evidence. */
export async function duplicateKeys(client: pg.ClientBase, index: string, limits = DUPLICATE_COUNT_LIMITS): Promise<DuplicateCount> {
  const { rows } = await client.query<{ table: string; keys: string[]; predicate: string | null; nulls_not_distinct: boolean; estimate: number; bytes: string }>(
    `SELECT format('%I.%I', n.nspname, t.relname) AS table,
            array(SELECT pg_get_indexdef(x.indexrelid, k, false) FROM generate_series(1, x.indnkeyatts) k ORDER BY k) AS keys,
            pg_get_expr(x.indpred, x.indrelid) AS predicate, x.indnullsnotdistinct AS nulls_not_distinct,
            t.reltuples::float8 AS estimate, pg_relation_size(t.oid)::text AS bytes
       FROM pg_index x JOIN pg_class t ON t.oid = x.indrelid JOIN pg_namespace n ON n.oid = t.relnamespace
      WHERE x.indexrelid = $1::regclass`,
    [index],
  );
  const found = rows[0];
  if (!found) return { counted: false, reason: `index ${index} no longer exists` };
  const bytes = Number(found.bytes);
  if (found.estimate > limits.maxRows || bytes > limits.maxBytes) {
    return {
      counted: false,
      reason: `${found.table} is too large to count duplicates within the statement_timeout (about ${Math.round(Math.max(found.estimate, 0))} rows, ${bytes} bytes; limits ${limits.maxRows} rows, ${limits.maxBytes} bytes)`,
    };
  }
  const keys = found.keys.map((k) => `(${k})`);
  const conditions = [...(found.nulls_not_distinct ? [] : keys.map((k) => `${k} IS NOT NULL`)), ...(found.predicate ? [`(${found.predicate})`] : [])];
  try {
    const counted = await client.query<{ groups: number; rows: string }>(
      `SELECT count(*)::int AS groups, coalesce(sum(d.n), 0)::text AS rows
         FROM (SELECT count(*) AS n FROM ${found.table}${conditions.length ? ` WHERE ${conditions.join(" AND ")}` : ""}
                GROUP BY ${keys.join(", ")} HAVING count(*) > 1) d`,
    );
    return { counted: true, groups: counted.rows[0]?.groups ?? 0, rows: Number(counted.rows[0]?.rows ?? 0) };
  } catch (err) {
    const { code, message } = err as { code?: string; message?: string };
    // A timeout or a table the role may not read: the count is unknown, and says why in the server's words.
    if (code === "57014" || code === "42501") return { counted: false, reason: `counting duplicates in ${found.table} failed: ${message} (SQLSTATE ${code})` };
    throw err;
  }
}

/** An invalid index as the catalogue describes it, with what a rebuild would run into. */
export interface InvalidIndex {
  /** pg_class oid of the index, as text (a regclass input). */
  oid: string;
  schema: string;
  table: string;
  index: string;
  definition: string;
  sizeBytes: number;
  unique: boolean;
  /** Key columns by name; null when a key is an expression. */
  keyColumns: string[] | null;
  duplicates: DuplicateCount | null;
}

/** Invalid indexes (left by a failed CREATE INDEX CONCURRENTLY or REINDEX CONCURRENTLY), except
 * those being built right now; a unique one has its duplicate keys counted when `count` says so. */
export async function invalidIndexes(client: pg.ClientBase, count: (index: { schema: string; index: string }) => boolean = () => true): Promise<InvalidIndex[]> {
  const { rows } = await client.query<{ oid: string; schema: string; table: string; index: string; definition: string; bytes: string; unique: boolean; key_columns: string[] | null }>(
    `SELECT x.indexrelid::text AS oid, n.nspname AS schema, t.relname AS "table", i.relname AS index, pg_get_indexdef(i.oid) AS definition,
            pg_relation_size(i.oid)::text AS bytes, x.indisunique AS unique,
            CASE WHEN 0 <> ALL ((x.indkey::int2[])[0:x.indnkeyatts - 1]) THEN
              array(SELECT a.attname::text FROM generate_subscripts(x.indkey::int2[], 1) s JOIN pg_attribute a ON a.attrelid = x.indrelid AND a.attnum = (x.indkey::int2[])[s]
                     WHERE s < x.indnkeyatts ORDER BY s) END AS key_columns
       FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid
       JOIN pg_namespace n ON n.oid = i.relnamespace
      WHERE NOT x.indisvalid AND n.nspname NOT IN ('pg_catalog', 'information_schema')
        AND NOT EXISTS (SELECT 1 FROM pg_stat_progress_create_index p WHERE p.index_relid = x.indexrelid)
      ORDER BY 2, 4`,
  );
  const result: InvalidIndex[] = [];
  for (const row of rows) {
    result.push({
      oid: row.oid,
      schema: row.schema,
      table: row.table,
      index: row.index,
      definition: row.definition,
      sizeBytes: Number(row.bytes),
      unique: row.unique,
      keyColumns: row.key_columns,
      duplicates: row.unique && count(row) ? await duplicateKeys(client, row.oid) : null,
    });
  }
  return result;
}

/** The duplicate-count facts as plain evidence. */
export function duplicateEvidence(duplicates: DuplicateCount | null) {
  return {
    duplicateKeyGroups: duplicates?.counted ? duplicates.groups : null,
    duplicateRows: duplicates?.counted ? duplicates.rows : null,
    duplicatesNotCounted: duplicates && !duplicates.counted ? duplicates.reason : null,
  };
}
