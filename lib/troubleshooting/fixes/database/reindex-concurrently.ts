import { z } from "zod";
import type { FixActionDef } from "../../catalogue";
import { withDatabase } from "../../probes/database";
import { FIX_STATEMENT_TIMEOUT, qualifiedIndex } from "./identifiers";

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
      const before = await invalidIndexesOf(client, found.name);
      await client.query(FIX_STATEMENT_TIMEOUT);
      try {
        await client.query(`REINDEX INDEX CONCURRENTLY ${found.name}`);
      } catch (err) {
        const reason = (err as { code?: string }).code === "23505" ? "duplicate values violate its uniqueness" : "the rebuild failed";
        // A failed REINDEX CONCURRENTLY leaves an invalid copy: drop those it created, nothing else.
        const leftovers = (await invalidIndexesOf(client, found.name)).filter((name) => !before.includes(name));
        for (const name of leftovers) await client.query(`DROP INDEX CONCURRENTLY IF EXISTS ${name}`).catch(() => {});
        return { ok: false, detail: `REINDEX of ${found.name} failed: ${reason}. It stays invalid${leftovers.length ? `; the half-built copy ${leftovers.join(", ")} was dropped` : ""}.` };
      }
      return { ok: true, detail: `REINDEX INDEX CONCURRENTLY ${found.name} completed.` };
    }),
};

/** Invalid indexes on the table of the given index. */
async function invalidIndexesOf(client: Parameters<typeof qualifiedIndex>[0], index: string): Promise<string[]> {
  const { rows } = await client.query<{ name: string }>(
    `SELECT format('%I.%I', n.nspname, c.relname) AS name FROM pg_index x JOIN pg_class c ON c.oid = x.indexrelid
       JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE x.indrelid = (SELECT indrelid FROM pg_index WHERE indexrelid = $1::regclass) AND NOT x.indisvalid`,
    [index],
  );
  return rows.map((r) => r.name);
}
