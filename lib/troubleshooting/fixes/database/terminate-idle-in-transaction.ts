import { z } from "zod";
import type { FixActionDef } from "../../catalogue";
import { withDatabase } from "../../probes/database";
import { terminateSession } from "./session-guard";

const params = z.object({ pid: z.number().int().positive(), xactStart: z.iso.datetime() });
type Params = z.infer<typeof params>;

export const dbTerminateIdleInTransaction: FixActionDef<Params> = {
  code: "db.terminate_idle_in_transaction",
  domain: "database",
  title: "Terminate the session idle in a transaction",
  description: "pg_terminate_backend(pid) for a session still idle in the same transaction; its uncommitted work is rolled back.",
  addresses: ["db.idle_in_transaction"],
  risk: "needs_approval",
  params,
  plan: (issue) => params.safeParse({ pid: issue.evidence.pid, xactStart: issue.evidence.xactStart }).data ?? null,
  describe: ({ pid }) => `SELECT pg_terminate_backend(${pid}) — only if it is still idle in the transaction begun at the diagnosed time; its uncommitted work is lost.`,
  apply: (session, { target, signal }) =>
    withDatabase(target.databaseUrl, signal, "fix", (client) =>
      terminateSession(client, session, "a.state IN ('idle in transaction', 'idle in transaction (aborted)')", "idle in that transaction"),
    ),
};
