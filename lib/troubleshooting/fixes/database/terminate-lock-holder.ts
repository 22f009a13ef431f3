import { z } from "zod";
import type { FixActionDef } from "../../catalogue";
import { OWN_SESSIONS_SQL, withDatabase } from "../../probes/database";
import { advice, str } from "../advice";
import { noEffect } from "../effect";

const params = z.object({
  pid: z.number().int().positive(),
  /** With the pid, the identity of the diagnosed session (pids are reused). */
  backendStart: z.iso.datetime(),
  lockKey: z.string().regex(/^-?\d+(,\d+)?$/),
});
type Params = z.infer<typeof params>;

/**
 * Ends the idle session that holds a session-level advisory lock (db.advisory_locks), e.g. Prisma
 * Migrate's after a dead deploy. The holder has no open transaction, so the transaction-keyed
 * terminations do not apply: this one is keyed on the session (pid + backend_start) and runs only
 * while that session is still idle and still holds the same key. Planned only when this role may
 * signal it (not a superuser's session; a member of its role or of pg_signal_backend). Needs approval.
 */
export const dbTerminateLockHolder: FixActionDef<Params> = {
  code: "db.terminate_lock_holder",
  domain: "database",
  title: "End the idle session holding the advisory lock",
  description: "pg_terminate_backend(pid) for the idle holder found by db.advisory_locks, if it is the same session, still idle and still holding the lock.",
  addresses: ["db.advisory_locks"],
  risk: "needs_approval",
  params,
  plan: (issue) =>
    issue.evidence.mayTerminate === true
      ? (params.safeParse({ pid: issue.evidence.pid, backendStart: issue.evidence.backendStart, lockKey: issue.evidence.lockKey }).data ?? null)
      : null,
  describe: ({ pid, lockKey }) =>
    `SELECT pg_terminate_backend(${pid}) — ends the idle session holding advisory lock ${lockKey}; PostgreSQL releases its session locks, and whoever waits for the lock (a deploy's migrate step) proceeds.`,
  apply: ({ pid, backendStart, lockKey }, { target, signal }) =>
    withDatabase(target.databaseUrl, signal, "fix", async (client) => {
      const [high, low] = lockKey.includes(",") ? lockKey.split(",").map(BigInt) : splitBigint(BigInt(lockKey));
      const { rows } = await client.query<{ superuser: boolean; idle: boolean; holds: boolean }>(
        `SELECT r.rolsuper AS superuser, a.state = 'idle' AS idle,
                EXISTS (SELECT 1 FROM pg_locks l WHERE l.pid = a.pid AND l.locktype = 'advisory' AND l.granted
                          AND l.classid = $3::bigint::oid AND l.objid = $4::bigint::oid AND l.objsubid = $5) AS holds
           FROM pg_stat_activity a JOIN pg_roles r ON r.oid = a.usesysid
          WHERE a.pid = $1 AND a.backend_start = $2::timestamptz AND ${OWN_SESSIONS_SQL}`,
        [pid, backendStart, String(high), String(low), lockKey.includes(",") ? 2 : 1],
      );
      const session = rows[0];
      if (!session) return noEffect(`Session ${pid} had already ended; the lock is released; nothing terminated.`, true);
      if (!session.holds) return noEffect(`Session ${pid} no longer holds advisory lock ${lockKey}; nothing terminated.`, true);
      if (!session.idle) return noEffect(`Session ${pid} is busy again (it may be a live deploy); not terminated. Run the checks again.`, false);
      if (session.superuser) return noEffect(`Session ${pid} belongs to a superuser; only a superuser can end it; nothing terminated.`, false);
      const ended = await client.query<{ terminated: boolean }>("SELECT pg_terminate_backend($1) AS terminated", [pid]).catch((err: { code?: string; message?: string }) => {
        if (err.code === "42501") return null;
        throw err;
      });
      if (!ended) return noEffect(`PostgreSQL refused to end session ${pid}: this role is neither a member of its role nor of pg_signal_backend; nothing terminated.`, false);
      return ended.rows[0]?.terminated
        ? { ok: true, detail: `Ended session ${pid}; its advisory lock ${lockKey} is released.` }
        : noEffect(`Session ${pid} ended before it was terminated; the lock is released; nothing terminated.`, true);
    }),
};

/** pg_locks shows a bigint key as its high and low 32-bit halves (classid, objid), unsigned. */
function splitBigint(key: bigint): [bigint, bigint] {
  const unsigned = BigInt.asUintN(64, key);
  return [unsigned >> 32n, unsigned & 0xffffffffn];
}

/** When this role may not end the holder: what a person with the right would run, and why. */
export const dbAdviseLockHolder = advice("database", "db.advise_lock_holder", ["db.advisory_locks"], "End the lock holder as a privileged role", (issue) =>
  issue.evidence.mayTerminate === true
    ? null
    : `This role cannot end session ${str(issue.evidence.pid)} (${issue.evidence.holderSuperuser === true ? "it belongs to a superuser" : "it is neither a member of the holder's role nor of pg_signal_backend"}). ` +
      `As a superuser (or a member of pg_signal_backend, for a non-superuser's session), after making sure no deploy is running: SELECT pg_terminate_backend(${Number(issue.evidence.pid)});`,
);
