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

/** ANALYZE and VACUUM skip, with only a warning, tables the role may not maintain. */
export async function mayMaintain(client: pg.ClientBase, qualified: string): Promise<boolean> {
  const { rows } = await client.query<{ ok: boolean }>(
    `SELECT pg_has_role(c.relowner, 'USAGE') OR (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) AS ok
       FROM pg_class c WHERE c.oid = $1::regclass`,
    [qualified],
  );
  return rows[0]?.ok ?? false;
}

/** The bound for statements a fix runs (the fix timeout is 60 s by default). */
export const FIX_STATEMENT_TIMEOUT = "SET statement_timeout = '55s'";

export async function qualifiedIndex(client: pg.ClientBase, schema: string, index: string): Promise<{ name: string; valid: boolean } | null> {
  const { rows } = await client.query<{ name: string; valid: boolean }>(
    `SELECT format('%I.%I', n.nspname, c.relname) AS name, x.indisvalid AS valid
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace JOIN pg_index x ON x.indexrelid = c.oid
      WHERE n.nspname = $1 AND c.relname = $2 AND c.relkind = 'i'`,
    [schema, index],
  );
  return rows[0] ?? null;
}
