import { z } from "zod";
import type { FixActionDef, IssueView } from "../../catalogue";
import { withDatabase } from "../../probes/database";
import { sqlQualified } from "../quote";
import { FIX_STATEMENT_TIMEOUT, duplicateKeys, qualifiedIndex } from "./identifiers";
import { noEffect } from "../effect";

const params = z.object({ schema: z.string().min(1).max(63), index: z.string().min(1).max(63) });
type Params = z.infer<typeof params>;

/** The statement the approval shows and apply runs, byte for byte. */
const reindexStatement = ({ schema, index }: Params) => `REINDEX INDEX CONCURRENTLY ${sqlQualified(schema, index)}`;

/** A rebuild can succeed only if nothing in the table breaks the index: for a unique index, the
 * check counted no duplicate keys (an uncounted table is not assumed clean). */
export function rebuildCanSucceed(issue: IssueView): boolean {
  return issue.evidence.unique === false || (issue.evidence.unique === true && issue.evidence.duplicateKeyGroups === 0);
}

/** REINDEX CONCURRENTLY rebuilds without blocking writes, but it is heavy I/O on a busy server:
 * needs approval. Planned only when the rebuild can succeed (no duplicate keys for a unique index;
 * otherwise db.advise_invalid_index gives the steps), and the duplicates are counted again right
 * before it runs, since rows may have come back between diagnosis and approval. */
export const dbReindexConcurrently: FixActionDef<Params> = {
  code: "db.reindex_concurrently",
  domain: "database",
  title: "Rebuild the invalid index (REINDEX CONCURRENTLY)",
  description: "REINDEX INDEX CONCURRENTLY for an index reported by db.invalid_indexes, when nothing in the table blocks the rebuild.",
  addresses: ["db.invalid_indexes"],
  risk: "needs_approval",
  params,
  plan: (issue) => (rebuildCanSucceed(issue) ? (params.safeParse({ schema: issue.evidence.schema, index: issue.evidence.index }).data ?? null) : null),
  describe: reindexStatement,
  apply: ({ schema, index }, { target, signal }) =>
    withDatabase(target.databaseUrl, signal, "fix", async (client) => {
      const found = await qualifiedIndex(client, schema, index);
      if (!found) return { ok: false, detail: `Index ${schema}.${index} no longer exists.` };
      if (found.valid) return noEffect(`Index ${found.name} is already valid; nothing rebuilt.`, true);
      if (found.unique) {
        const duplicates = await duplicateKeys(client, found.name);
        if (!duplicates.counted) return { ok: false, detail: `REINDEX of ${found.name} not run: its table could not be checked for duplicate keys (${duplicates.reason}).` };
        if (duplicates.groups > 0) {
          return {
            ok: false,
            detail: `REINDEX of ${found.name} not run: ${duplicates.groups} key value(s) are held by more than one row (${duplicates.rows} rows) again, so the rebuild would fail. Remove the duplicates first.`,
          };
        }
      }
      const before = await invalidIndexesOf(client, found.name);
      await client.query(FIX_STATEMENT_TIMEOUT);
      try {
        await client.query(reindexStatement({ schema, index }));
      } catch (err) {
        const { code, message } = err as { code?: string; message?: string };
        // A failed REINDEX CONCURRENTLY leaves an invalid copy: drop those it created, nothing else.
        const leftovers = (await invalidIndexesOf(client, found.name)).filter((name) => !before.includes(name));
        for (const name of leftovers) await client.query(`DROP INDEX CONCURRENTLY IF EXISTS ${name}`).catch(() => {});
        return { ok: false, detail: `REINDEX of ${found.name} failed: ${message} (SQLSTATE ${code}). It stays invalid${leftovers.length ? `; the half-built copy ${leftovers.join(", ")} was dropped` : ""}.` };
      }
      return { ok: true, detail: `${reindexStatement({ schema, index })} completed.` };
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
