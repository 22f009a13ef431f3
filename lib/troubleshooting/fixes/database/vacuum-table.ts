import { z } from "zod";
import type { FixActionDef } from "../../catalogue";
import { withDatabase } from "../../probes/database";
import { FIX_STATEMENT_TIMEOUT, mayMaintain, qualifiedTable } from "./identifiers";

const params = z.object({ schema: z.string().min(1).max(63), table: z.string().min(1).max(63) });
type Params = z.infer<typeof params>;

/** Plain VACUUM (never FULL): takes no lock that blocks reads or writes. */
export const dbVacuumTable: FixActionDef<Params> = {
  code: "db.vacuum_table",
  domain: "database",
  title: "Vacuum the table",
  description: "Plain VACUUM (ANALYZE) of a table reported by db.table_bloat or db.vacuum_overdue; never VACUUM FULL.",
  addresses: ["db.table_bloat", "db.vacuum_overdue"],
  risk: "safe",
  params,
  plan: (issue) => params.safeParse({ schema: issue.evidence.schema, table: issue.evidence.table }).data ?? null,
  describe: ({ schema, table }) => `VACUUM (ANALYZE) ${schema}.${table}`,
  apply: ({ schema, table }, { target, signal }) =>
    withDatabase(target.databaseUrl, signal, "fix", async (client) => {
      const name = await qualifiedTable(client, schema, table);
      if (!name) return { ok: false, detail: `Table ${schema}.${table} no longer exists.` };
      if (!(await mayMaintain(client, name))) return { ok: false, detail: `The role does not own ${name}; PostgreSQL would skip the VACUUM with a warning.` };
      await client.query(FIX_STATEMENT_TIMEOUT);
      await client.query(`VACUUM (ANALYZE) ${name}`);
      return { ok: true, detail: `VACUUM (ANALYZE) ${name} completed.` };
    }),
};
