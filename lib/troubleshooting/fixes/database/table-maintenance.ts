// Safe maintenance statements on one table (ANALYZE, plain VACUUM): the table is resolved and
// quoted by PostgreSQL, and one the role may not maintain is refused rather than "done".
import { z } from "zod";
import type { FixActionDef } from "../../catalogue";
import { withDatabase } from "../../probes/database";
import { sqlQualified } from "../quote";
import { FIX_STATEMENT_TIMEOUT, mayMaintain, qualifiedTable } from "./identifiers";
import { noEffect } from "../effect";

const params = z.object({ schema: z.string().min(1).max(63), table: z.string().min(1).max(63) });
export type TableParams = z.infer<typeof params>;

export function tableMaintenance(
  action: Pick<FixActionDef, "code" | "title" | "description" | "addresses">,
  /** The statement before the table name, e.g. "VACUUM (ANALYZE)". */
  statement: string,
): FixActionDef<TableParams> {
  // One text for what the approval shows and what runs: the names the check saw, quoted (apply
  // first confirms the table exists under exactly those names).
  const sql = ({ schema, table }: TableParams) => `${statement} ${sqlQualified(schema, table)}`;
  return {
    ...action,
    domain: "database",
    risk: "safe",
    params,
    // Not planned when the check saw that this role may not maintain the table (apply checks again).
    plan: (issue) => (issue.evidence.mayMaintain === false ? null : (params.safeParse({ schema: issue.evidence.schema, table: issue.evidence.table }).data ?? null)),
    describe: sql,
    apply: ({ schema, table }, { target, signal }) =>
      withDatabase(target.databaseUrl, signal, "fix", async (client) => {
        const name = await qualifiedTable(client, schema, table);
        if (!name) return noEffect(`Table ${schema}.${table} no longer exists; nothing to do.`, false);
        if (!(await mayMaintain(client, name))) {
          return noEffect(`The role may not maintain ${name} (not its owner, no MAINTAIN privilege); PostgreSQL would skip the ${statement.split(" ")[0]} with a warning. Nothing run.`, false);
        }
        await client.query(FIX_STATEMENT_TIMEOUT);
        await client.query(sql({ schema, table }));
        return { ok: true, detail: `${sql({ schema, table })} completed.` };
      }),
  };
}
