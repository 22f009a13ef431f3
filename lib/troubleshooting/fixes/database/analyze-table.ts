import { z } from "zod";
import type { FixActionDef } from "../../catalogue";
import { withDatabase } from "../../probes/database";

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
      // The identifier comes from the catalogue (format %I), never from text put into SQL.
      const { rows } = await client.query<{ name: string }>(
        `SELECT format('%I.%I', n.nspname, c.relname) AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
          WHERE n.nspname = $1 AND c.relname = $2 AND c.relkind IN ('r', 'p', 'm')`,
        [schema, table],
      );
      const name = rows[0]?.name;
      if (!name) return { ok: false, detail: `Table ${schema}.${table} no longer exists.` };
      await client.query(`SET statement_timeout = '55s'`);
      await client.query(`ANALYZE ${name}`);
      return { ok: true, detail: `ANALYZE ${name} completed.` };
    });
  },
};
