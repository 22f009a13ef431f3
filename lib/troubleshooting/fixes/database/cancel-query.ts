import { z } from "zod";
import type { FixActionDef } from "../../catalogue";
import { withDatabase } from "../../probes/database";

const params = z.object({ pid: z.number().int().positive(), queryStart: z.iso.datetime() });
type Params = z.infer<typeof params>;

/** Cancels one query with pg_cancel_backend (the session survives; its transaction rolls back),
 * only if the pid still runs the very query that was diagnosed. Cuts off work: needs approval. */
export const dbCancelQuery: FixActionDef<Params> = {
  code: "db.cancel_query",
  domain: "database",
  title: "Cancel the long-running query",
  description: "pg_cancel_backend(pid) for a query found by db.long_running_query, after re-checking it is the same query.",
  addresses: ["db.long_running_query"],
  risk: "needs_approval",
  params,
  plan(issue) {
    const parsed = params.safeParse({ pid: issue.evidence.pid, queryStart: issue.evidence.queryStart });
    return parsed.success ? parsed.data : null;
  },
  describe: ({ pid }) => `Cancel the query of backend ${pid} (its transaction is rolled back; the connection stays open).`,
  async apply({ pid, queryStart }, { target, signal }) {
    return withDatabase(target.databaseUrl, signal, "fix", async (client) => {
      const { rows } = await client.query<{ cancelled: boolean | null }>(
        `SELECT pg_cancel_backend(pid) AS cancelled FROM pg_stat_activity
          WHERE pid = $1 AND query_start = $2::timestamptz AND state = 'active'`,
        [pid, queryStart],
      );
      if (rows.length === 0) return { ok: true, detail: `Backend ${pid} no longer runs that query; nothing to cancel.` };
      return rows[0]?.cancelled
        ? { ok: true, detail: `Sent a cancel request to backend ${pid}.` }
        : { ok: false, detail: `PostgreSQL refused to cancel backend ${pid} (the role lacks pg_signal_backend).` };
    });
  },
};
