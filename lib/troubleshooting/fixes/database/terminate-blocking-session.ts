import { z } from "zod";
import type { FixActionDef } from "../../catalogue";
import { withDatabase } from "../../probes/database";
import { terminateSession } from "./session-guard";

const params = z.object({ pid: z.number().int().positive(), xactStart: z.iso.datetime() });
type Params = z.infer<typeof params>;

export const dbTerminateBlockingSession: FixActionDef<Params> = {
  code: "db.terminate_blocking_session",
  domain: "database",
  title: "Terminate the session at the root of a blocking chain",
  description: "pg_terminate_backend(pid) for the root blocker found by db.blocked_queries, if it is still the same transaction and still blocks someone.",
  addresses: ["db.blocked_queries"],
  risk: "needs_approval",
  params,
  plan: (issue) => params.safeParse({ pid: issue.evidence.rootPid, xactStart: issue.evidence.rootXactStart }).data ?? null,
  describe: ({ pid }) => `SELECT pg_terminate_backend(${pid}) — the root of the blocking chain; its transaction is rolled back and the queries waiting on it proceed.`,
  apply: (session, { target, signal }) =>
    withDatabase(target.databaseUrl, signal, "fix", (client) =>
      terminateSession(client, session, "EXISTS (SELECT 1 FROM pg_stat_activity w WHERE a.pid = ANY (pg_blocking_pids(w.pid)))", "blocking other queries"),
    ),
};
