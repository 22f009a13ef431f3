import { z } from "zod";
import type { FixActionDef } from "../../catalogue";
import { withDatabase } from "../../probes/database";
import { refusalFor, signalSession } from "./session-guard";

const params = z.object({ pid: z.number().int().positive(), xactStart: z.iso.datetime() });
type Params = z.infer<typeof params>;

/** Planned only when the check saw that this role may terminate the session (otherwise
 * db.advise_signal_session says who can). */
export const dbTerminateIdleInTransaction: FixActionDef<Params> = {
  code: "db.terminate_idle_in_transaction",
  domain: "database",
  title: "Terminate the session idle in a transaction",
  description: "pg_terminate_backend(pid) for a session still idle in the same transaction; its uncommitted work is rolled back.",
  addresses: ["db.idle_in_transaction"],
  risk: "needs_approval",
  params,
  plan: (issue) => (refusalFor(issue, "mayTerminate") === null ? (params.safeParse({ pid: issue.evidence.pid, xactStart: issue.evidence.xactStart }).data ?? null) : null),
  describe: ({ pid }) => `SELECT pg_terminate_backend(${pid}) — only if it is still idle in the transaction begun at the diagnosed time; its uncommitted work is lost.`,
  apply: ({ pid, xactStart }, { target, signal }) =>
    withDatabase(target.databaseUrl, signal, "fix", (client) =>
      signalSession(client, {
        fn: "pg_terminate_backend",
        pid,
        column: "xact_start",
        since: xactStart,
        condition: "a.state IN ('idle in transaction', 'idle in transaction (aborted)')",
        what: "idle in that transaction",
      }),
    ),
};
