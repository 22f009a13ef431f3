// Terminating a session is only ever done to the very session that was diagnosed (same pid and
// same transaction start), never to our own, a superuser's or a replication session.
import type pg from "pg";
import type { FixResult } from "../../catalogue";
import { OWN_SESSIONS_SQL } from "../../probes/database";

export async function terminateSession(
  client: pg.ClientBase,
  session: { pid: number; xactStart: string },
  extraCondition: string,
  what: string,
): Promise<FixResult> {
  const result = await client
    .query<{ terminated: boolean }>(
      `SELECT pg_terminate_backend(a.pid) AS terminated
         FROM pg_stat_activity a JOIN pg_roles r ON r.rolname = a.usename
        WHERE a.pid = $1 AND a.xact_start = $2::timestamptz AND NOT r.rolsuper AND NOT r.rolreplication
          AND ${OWN_SESSIONS_SQL} AND ${extraCondition}`,
      [session.pid, session.xactStart],
    )
    .catch(signalRefused);
  if (!result) return { ok: false, detail: `PostgreSQL refused to terminate session ${session.pid}: the role lacks pg_signal_backend.` };
  const { rows } = result;
  if (rows.length === 0) {
    return { ok: true, detail: `Session ${session.pid} is no longer ${what} (or belongs to a superuser); nothing terminated.` };
  }
  return rows[0]?.terminated
    ? { ok: true, detail: `Terminated session ${session.pid} (${what}); its transaction was rolled back.` }
    : { ok: true, detail: `Session ${session.pid} ended before it was terminated.` };
}

/** Signalling another role's backend without pg_signal_backend raises 42501: null, not a crash. */
export function signalRefused(err: unknown): null {
  if ((err as { code?: string }).code === "42501") return null;
  throw err;
}
