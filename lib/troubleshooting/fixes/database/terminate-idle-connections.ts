import { z } from "zod";
import type { FixActionDef } from "../../catalogue";
import { OWN_SESSIONS_SQL, withDatabase } from "../../probes/database";
import { sqlIdentifier } from "../quote";
import { noEffect } from "../effect";

const params = z.object({ role: z.string().min(1).max(63), targetInUse: z.number().int().min(0) });
type Params = z.infer<typeof params>;

/** Frees connection slots by closing idle sessions of the application's own role (the role of the
 * target URL), oldest first, until the count is back under the threshold (with 10 % headroom).
 * Never another role's, a superuser's, one in a transaction, a LISTENer or an advisory-lock
 * holder. Cuts off pooled connections: needs approval. */
export const dbTerminateIdleConnections: FixActionDef<Params> = {
  code: "db.terminate_idle_connections",
  domain: "database",
  title: "Close idle connections of the application's role",
  description: "pg_terminate_backend on idle sessions of the app's own role, oldest first, down to 90 % of the threshold.",
  addresses: ["db.connections_near_limit"],
  risk: "needs_approval",
  params,
  plan(issue) {
    const { appRole, usable, mediumThreshold } = issue.evidence;
    if (typeof usable !== "number" || typeof mediumThreshold !== "number") return null;
    return params.safeParse({ role: appRole, targetInUse: Math.floor(usable * mediumThreshold * 0.9) }).data ?? null;
  },
  describe: ({ role, targetInUse }) =>
    `Terminate idle sessions of role ${sqlIdentifier(role)}, oldest first, until at most ${targetInUse} client connections remain (the app's pool reconnects as needed).`,
  apply: ({ role, targetInUse }, { target, signal }) =>
    withDatabase(target.databaseUrl, signal, "fix", async (client) => {
      const count = await client.query<{ n: number }>(`SELECT count(*)::int AS n FROM pg_stat_activity a WHERE ${OWN_SESSIONS_SQL}`);
      const excess = (count.rows[0]?.n ?? 0) - targetInUse;
      if (excess <= 0) return noEffect(`Already at or under ${targetInUse} connections; nothing terminated.`, true);
      const { rows } = await client.query<{ pid: number; terminated: boolean }>(
        `SELECT a.pid, pg_terminate_backend(a.pid) AS terminated
           FROM (SELECT a.pid FROM pg_stat_activity a JOIN pg_roles r ON r.rolname = a.usename
                  WHERE a.usename = $1 AND a.state = 'idle' AND NOT r.rolsuper AND NOT r.rolreplication AND ${OWN_SESSIONS_SQL}
                    AND a.query !~* '^\\s*(LISTEN|UNLISTEN)'
                    AND NOT EXISTS (SELECT 1 FROM pg_locks l WHERE l.pid = a.pid AND l.locktype = 'advisory')
                  ORDER BY a.state_change LIMIT $2) a`,
        [role, excess],
      );
      const done = rows.filter((r) => r.terminated).length;
      return done === 0
        ? noEffect(`No idle session of role ${role} could be terminated (${excess} over the target); nothing terminated.`, false)
        : { ok: true, detail: `Terminated ${done} idle session(s) of role ${role} (pids ${rows.map((r) => r.pid).join(", ")}).` };
    }),
};
