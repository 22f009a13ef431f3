import { z } from "zod";
import type { FixActionDef } from "../../catalogue";
import { withDatabase } from "../../probes/database";
import { qualifiedIndex } from "./identifiers";

const params = z.object({ schema: z.string().min(1).max(63), index: z.string().min(1).max(63) });
type Params = z.infer<typeof params>;

/** REINDEX CONCURRENTLY rebuilds without blocking writes, but it is heavy I/O on a busy server
 * and fails again if the cause (e.g. duplicates for a unique index) remains: needs approval. */
export const dbReindexConcurrently: FixActionDef<Params> = {
  code: "db.reindex_concurrently",
  domain: "database",
  title: "Rebuild the invalid index (REINDEX CONCURRENTLY)",
  description: "REINDEX INDEX CONCURRENTLY for an index reported by db.invalid_indexes.",
  addresses: ["db.invalid_indexes"],
  risk: "needs_approval",
  params,
  plan: (issue) => params.safeParse({ schema: issue.evidence.schema, index: issue.evidence.index }).data ?? null,
  describe: ({ schema, index }) => `REINDEX INDEX CONCURRENTLY ${schema}.${index}`,
  apply: ({ schema, index }, { target, signal }) =>
    withDatabase(target.databaseUrl, signal, "fix", async (client) => {
      const found = await qualifiedIndex(client, schema, index);
      if (!found) return { ok: false, detail: `Index ${schema}.${index} no longer exists.` };
      if (found.valid) return { ok: true, detail: `Index ${found.name} is already valid; nothing rebuilt.` };
      await client.query(`SET statement_timeout = 0`); // bounded by the fix timeout instead
      try {
        await client.query(`REINDEX INDEX CONCURRENTLY ${found.name}`);
      } catch (err) {
        const reason = (err as { code?: string }).code === "23505" ? "duplicate values violate its uniqueness" : "the rebuild failed";
        const dropped = await dropFailedCopies(client, schema, index);
        return { ok: false, detail: `REINDEX of ${found.name} failed: ${reason}. It stays invalid${dropped ? `; the half-built copy ${dropped} was dropped` : ""}.` };
      }
      return { ok: true, detail: `REINDEX INDEX CONCURRENTLY ${found.name} completed.` };
    }),
};

/** A failed REINDEX CONCURRENTLY leaves an invalid "<index>_ccnew" copy behind: drop it. */
async function dropFailedCopies(client: Parameters<typeof qualifiedIndex>[0], schema: string, index: string): Promise<string | null> {
  const { rows } = await client.query<{ name: string }>(
    `SELECT format('%I.%I', n.nspname, c.relname) AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
       JOIN pg_index x ON x.indexrelid = c.oid
      WHERE n.nspname = $1 AND c.relname LIKE $2 AND NOT x.indisvalid`,
    [schema, `${index.replace(/[\\%_]/g, "\\$&")}\\_ccnew%`],
  );
  for (const row of rows) await client.query(`DROP INDEX CONCURRENTLY IF EXISTS ${row.name}`);
  return rows.map((r) => r.name).join(", ") || null;
}
