import { z } from "zod";
import type { FixActionDef } from "../../catalogue";
import { withDatabase } from "../../probes/database";
import { FIX_STATEMENT_TIMEOUT, mayMaintain, qualifiedTable } from "./identifiers";

const params = z.object({ schema: z.string().min(1).max(63), table: z.string().min(1).max(63) });
type Params = z.infer<typeof params>;

/** ANALYZE only reads the table and refreshes planner statistics: safe to run unattended. */
export const dbAnalyzeTable: FixActionDef<Params> = {
  code: "db.analyze_table",
  domain: "database",
  title: "Refresh the table's statistics (ANALYZE)",
  description: "Runs ANALYZE on a table reported by db.stale_statistics.",
  addresses: ["db.stale_statistics"],
  risk: "safe",
  params,
  plan(issue) {
    const parsed = params.safeParse({ schema: issue.evidence.schema, table: issue.evidence.table });
    return parsed.success ? parsed.data : null;
  },
  describe: ({ schema, table }) => `ANALYZE ${schema}.${table}`,
  async apply({ schema, table }, { target, signal }) {
    return withDatabase(target.databaseUrl, signal, "fix", async (client) => {
      const name = await qualifiedTable(client, schema, table);
      if (!name) return { ok: false, detail: `Table ${schema}.${table} no longer exists.` };
      if (!(await mayMaintain(client, name))) return { ok: false, detail: `The role does not own ${name}; PostgreSQL would skip the ANALYZE with a warning.` };
      await client.query(FIX_STATEMENT_TIMEOUT);
      await client.query(`ANALYZE ${name}`);
      return { ok: true, detail: `ANALYZE ${name} completed.` };
    });
  },
};
