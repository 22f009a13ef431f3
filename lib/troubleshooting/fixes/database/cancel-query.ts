import { z } from "zod";
import type { FixActionDef } from "../../catalogue";
import { withDatabase } from "../../probes/database";
import { refusalFor, signalSession } from "./session-guard";

const params = z.object({ pid: z.number().int().positive(), queryStart: z.iso.datetime() });
type Params = z.infer<typeof params>;

/** Cancels one query with pg_cancel_backend (the session survives; its transaction rolls back),
 * only if the pid still runs the very query that was diagnosed. Planned only when the check saw
 * that this role may cancel it (otherwise db.advise_signal_session says who can). Cuts off work:
 * needs approval. */
export const dbCancelQuery: FixActionDef<Params> = {
  code: "db.cancel_query",
  domain: "database",
  title: "Cancel the long-running query",
  description: "pg_cancel_backend(pid) for a query found by db.long_running_query, after re-checking it is the same query and the role may cancel it.",
  addresses: ["db.long_running_query"],
  risk: "needs_approval",
  params,
  plan(issue) {
    if (refusalFor(issue, "mayCancel") !== null) return null;
    const parsed = params.safeParse({ pid: issue.evidence.pid, queryStart: issue.evidence.queryStart });
    return parsed.success ? parsed.data : null;
  },
  describe: ({ pid }) => `Cancel the query of backend ${pid} (its transaction is rolled back; the connection stays open).`,
  apply: ({ pid, queryStart }, { target, signal }) =>
    withDatabase(target.databaseUrl, signal, "fix", (client) =>
      signalSession(client, { fn: "pg_cancel_backend", pid, column: "query_start", since: queryStart, condition: "a.state = 'active'", what: "running that query" }),
    ),
};
