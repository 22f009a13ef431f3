import { z } from "zod";
import type { FixActionDef } from "../../catalogue";
import { withDatabase } from "../../probes/database";
import { FIX_STATEMENT_TIMEOUT, qualifiedTable } from "./identifiers";

const identifier = z.string().regex(/^[A-Za-z_][A-Za-z0-9_$]{0,62}$/);
const params = z.object({ schema: identifier, table: identifier, columns: z.array(identifier).min(1).max(3) });
type Params = z.infer<typeof params>;

const indexName = ({ table, columns }: Params) => `${table}_${columns.join("_")}_idx`.slice(0, 63);

/** Builds the index without blocking writes; heavy on a busy server, so it needs approval. If the
 * build fails, the invalid index it leaves behind is dropped. */
export const dbCreateIndexConcurrently: FixActionDef<Params> = {
  code: "db.create_index_concurrently",
  domain: "database",
  title: "Create the missing index (CONCURRENTLY)",
  description: "CREATE INDEX CONCURRENTLY on the column(s) db.missing_index found the scans filtering on.",
  addresses: ["db.missing_index"],
  risk: "needs_approval",
  params,
  plan: (issue) => params.safeParse({ schema: issue.evidence.schema, table: issue.evidence.table, columns: issue.evidence.columns }).data ?? null,
  describe: (p) => `CREATE INDEX CONCURRENTLY "${indexName(p)}" ON "${p.schema}"."${p.table}" (${p.columns.map((c) => `"${c}"`).join(", ")})`,
  apply: (p, { target, signal }) =>
    withDatabase(target.databaseUrl, signal, "fix", async (client) => {
      const table = await qualifiedTable(client, p.schema, p.table);
      if (!table) return { ok: false, detail: `Table ${p.schema}.${p.table} no longer exists.` };
      const { rows } = await client.query<{ columns: string; name: string; qualified: string }>(
        `SELECT string_agg(format('%I', a.attname), ', ' ORDER BY array_position($3::text[], a.attname::text)) AS columns,
                format('%I', $4::text) AS name, format('%I.%I', $1::text, $4::text) AS qualified
           FROM pg_attribute a WHERE a.attrelid = format('%I.%I', $1::text, $2::text)::regclass AND a.attname = ANY ($3::text[]) AND a.attnum > 0 AND NOT a.attisdropped
          HAVING count(*) = cardinality($3::text[])`,
        [p.schema, p.table, p.columns, indexName(p)],
      );
      const found = rows[0];
      if (!found) return { ok: false, detail: `Column(s) ${p.columns.join(", ")} no longer exist on ${table}.` };
      const statement = `CREATE INDEX CONCURRENTLY IF NOT EXISTS ${found.name} ON ${table} (${found.columns})`;
      await client.query(FIX_STATEMENT_TIMEOUT);
      try {
        await client.query(statement);
      } catch {
        const dropped = await client.query(`DROP INDEX CONCURRENTLY IF EXISTS ${found.qualified}`).then(() => true, () => false);
        return { ok: false, detail: `${statement} failed; ${dropped ? "the invalid index it left was dropped" : `drop the invalid index ${found.qualified} by hand`}.` };
      }
      return { ok: true, detail: `${statement} completed.` };
    }),
};
