import { z } from "zod";
import type { FixActionDef } from "../../catalogue";
import { withDatabase } from "../../probes/database";
import { sqlIdentifier, sqlQualified } from "../quote";
import { FIX_STATEMENT_TIMEOUT, qualifiedTable } from "./identifiers";

const identifier = z.string().regex(/^[A-Za-z_][A-Za-z0-9_$]{0,62}$/);
const params = z.object({ schema: identifier, table: identifier, columns: z.array(identifier).min(1).max(3) });
type Params = z.infer<typeof params>;

const indexName = ({ table, columns }: Params) => `${table}_${columns.join("_")}_idx`.slice(0, 63);

/** The statement the approval shows and apply runs, byte for byte (apply first confirms that the
 * table and columns exist under exactly these names). */
const createStatement = (p: Params) =>
  `CREATE INDEX CONCURRENTLY IF NOT EXISTS ${sqlIdentifier(indexName(p))} ON ${sqlQualified(p.schema, p.table)} (${p.columns.map(sqlIdentifier).join(", ")})`;

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
  describe: createStatement,
  apply: (p, { target, signal }) =>
    withDatabase(target.databaseUrl, signal, "fix", async (client) => {
      const table = await qualifiedTable(client, p.schema, p.table);
      if (!table) return { ok: false, detail: `Table ${p.schema}.${p.table} no longer exists.` };
      const { rows } = await client.query<{ found: boolean }>(
        `SELECT count(*) = cardinality($2::text[]) AS found FROM pg_attribute a
          WHERE a.attrelid = $1::regclass AND a.attname = ANY ($2::text[]) AND a.attnum > 0 AND NOT a.attisdropped`,
        [table, p.columns],
      );
      if (!rows[0]?.found) return { ok: false, detail: `Column(s) ${p.columns.join(", ")} no longer exist on ${table}.` };
      const statement = createStatement(p);
      const qualified = sqlQualified(p.schema, indexName(p));
      await client.query(FIX_STATEMENT_TIMEOUT);
      try {
        await client.query(statement);
      } catch {
        const dropped = await client.query(`DROP INDEX CONCURRENTLY IF EXISTS ${qualified}`).then(() => true, () => false);
        return { ok: false, detail: `${statement} failed; ${dropped ? "the invalid index it left was dropped" : `drop the invalid index ${qualified} by hand`}.` };
      }
      return { ok: true, detail: `${statement} completed.` };
    }),
};
