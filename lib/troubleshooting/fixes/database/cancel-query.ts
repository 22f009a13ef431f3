import { z } from "zod";
import type { FixActionDef } from "../../catalogue";
import { OWN_SESSIONS_SQL, withDatabase } from "../../probes/database";
import { signalRefused } from "./session-guard";

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
      const result = await client
        .query<{ cancelled: boolean | null }>(
          `SELECT pg_cancel_backend(a.pid) AS cancelled FROM pg_stat_activity a JOIN pg_roles r ON r.rolname = a.usename
            WHERE a.pid = $1 AND a.query_start = $2::timestamptz AND a.state = 'active'
              AND NOT r.rolsuper AND NOT r.rolreplication AND ${OWN_SESSIONS_SQL}`,
          [pid, queryStart],
        )
        .catch(signalRefused);
      if (!result) return { ok: false, detail: `PostgreSQL refused to cancel backend ${pid}: the role lacks pg_signal_backend.` };
      const { rows } = result;
      if (rows.length === 0) return { ok: true, detail: `Backend ${pid} no longer runs that query (or belongs to a superuser); nothing cancelled.` };
      return rows[0]?.cancelled
        ? { ok: true, detail: `Sent a cancel request to backend ${pid}.` }
        : { ok: true, detail: `Backend ${pid} ended before the cancel arrived.` };
    });
  },
};
