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
  const { rows } = await client.query<{ terminated: boolean }>(
    `SELECT pg_terminate_backend(a.pid) AS terminated
       FROM pg_stat_activity a JOIN pg_roles r ON r.rolname = a.usename
      WHERE a.pid = $1 AND a.xact_start = $2::timestamptz AND NOT r.rolsuper AND NOT r.rolreplication
        AND ${OWN_SESSIONS_SQL} AND ${extraCondition}`,
    [session.pid, session.xactStart],
  );
  if (rows.length === 0) {
    return { ok: true, detail: `Session ${session.pid} is no longer ${what} (or belongs to a superuser); nothing terminated.` };
  }
  return rows[0]?.terminated
    ? { ok: true, detail: `Terminated session ${session.pid} (${what}); its transaction was rolled back.` }
    : { ok: false, detail: `PostgreSQL refused to terminate session ${session.pid} (the role lacks pg_signal_backend).` };
}
