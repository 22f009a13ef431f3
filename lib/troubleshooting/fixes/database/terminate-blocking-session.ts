import { z } from "zod";
import type { FixActionDef } from "../../catalogue";
import { withDatabase } from "../../probes/database";
import { refusalFor, signalSession } from "./session-guard";

const params = z.object({ pid: z.number().int().positive(), xactStart: z.iso.datetime() });
type Params = z.infer<typeof params>;

/** Planned only when the check saw that this role may terminate the root session (otherwise
 * db.advise_signal_session says who can). */
export const dbTerminateBlockingSession: FixActionDef<Params> = {
  code: "db.terminate_blocking_session",
  domain: "database",
  title: "Terminate the session at the root of a blocking chain",
  description: "pg_terminate_backend(pid) for the root blocker found by db.blocked_queries, if it is still the same transaction and still blocks someone.",
  addresses: ["db.blocked_queries"],
  risk: "needs_approval",
  params,
  plan: (issue) => (refusalFor(issue, "mayTerminate") === null ? (params.safeParse({ pid: issue.evidence.rootPid, xactStart: issue.evidence.rootXactStart }).data ?? null) : null),
  describe: ({ pid }) => `SELECT pg_terminate_backend(${pid}) — the root of the blocking chain; its transaction is rolled back and the queries waiting on it proceed.`,
  apply: ({ pid, xactStart }, { target, signal }) =>
    withDatabase(target.databaseUrl, signal, "fix", (client) =>
      signalSession(client, {
        fn: "pg_terminate_backend",
        pid,
        column: "xact_start",
        since: xactStart,
        condition: "EXISTS (SELECT 1 FROM pg_stat_activity w WHERE a.pid = ANY (pg_blocking_pids(w.pid)))",
        what: "blocking other queries",
      }),
    ),
};
