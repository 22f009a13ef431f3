import type pg from "pg";
import { type DbError, describeDbError, isConnectionFailure, serverReason } from "../../../health/pg-errors";
import type { CheckOutcome, Target } from "../../catalogue";
import { BlockedAddressError } from "../../probes/address-policy";
import { sqlIdentifier } from "../../fixes/quote";
import { FIX_APPLICATION_NAME, PROBE_APPLICATION_NAME, withDatabase } from "../../probes/database";

/** The check that reports a connection failure itself: db.auth_failed for rejected credentials
 * or pg_hba.conf, db.unreachable for everything else that stops a session from opening. */
export function reportingCheck(error: DbError): "db.auth_failed" | "db.unreachable" {
  return error.code === "auth_failed" || error.code === "access_rejected" ? "db.auth_failed" : "db.unreachable";
}

/** "<our sentence> (SQLSTATE 53300: sorry, too many clients already)". */
export function withServerReason(error: DbError): string {
  const reason = serverReason(error);
  return reason ? `${error.message} (${reason})` : error.message;
}

/** The grant that lets a role see other roles' sessions, statements and server settings. */
export function monitoringGrant(role: string): string {
  return `GRANT pg_monitor TO ${sqlIdentifier(role)}; (pg_monitor includes pg_read_all_stats, the part that shows other roles' sessions and query texts)`;
}

/** Checks that need a database session report why they could not run, naming the SQLSTATE and
 * the server's message; db.unreachable / db.auth_failed report a connection failure itself once.
 * A privilege the role lacks (42501) is a blind spot to grant away, not a failure of the bot. */
export function dbCheckError(err: unknown): CheckOutcome {
  if (err instanceof BlockedAddressError) return { status: "error", reason: err.message };
  const error = describeDbError(err);
  if (isConnectionFailure(error)) return { status: "skipped", reason: `${withServerReason(error)} (see ${reportingCheck(error)})` };
  if (error.code === "insufficient_privilege") {
    return { status: "skipped", reason: `${withServerReason(error)}: the role cannot see what this check reads; grant it pg_monitor (or the privilege named above)` };
  }
  return { status: "error", reason: withServerReason(error) };
}

/** Runs a check's queries in a pooled read-only session; no session means skipped or error. */
export async function readOnly(target: Target, signal: AbortSignal, work: (client: pg.ClientBase) => Promise<CheckOutcome>): Promise<CheckOutcome> {
  let connected = false;
  try {
    return await withDatabase(target.databaseUrl, signal, "read-only", (client) => {
      connected = true;
      return work(client);
    });
  } catch (err) {
    // A session lost after it was open (the server restarted, the session was terminated) is not
    // the unreachability db.unreachable reports: this check could not finish, which is an error.
    const error = describeDbError(err);
    const lost = error.code === "unreachable" || error.code === "server_stopping" || error.code === "server_crashed";
    if (connected && lost) return { status: "error", reason: `${withServerReason(error)} (lost mid-check: the server restarted or ended the session)` };
    return dbCheckError(err);
  }
}

/** Whether this session's role sees other roles' activity and statement texts: superusers and
 * members of pg_read_all_stats (pg_monitor includes it) do; others read NULL / "<insufficient
 * privilege>" for them (pg_stat_activity, pg_stat_statements). */
export async function statsVisibility(client: pg.ClientBase): Promise<{ role: string; readsAllStats: boolean }> {
  const { rows } = await client.query<{ role: string; reads: boolean }>(
    `SELECT current_user AS role, pg_has_role(current_user, 'pg_read_all_stats', 'USAGE') AS reads`,
  );
  return { role: rows[0]?.role ?? "", readsAllStats: rows[0]?.reads ?? false };
}

/** "Passed", unless other roles' sessions in this database are hidden from this role (without
 * pg_read_all_stats their type and state read as NULL): then the check could not look, and the
 * reason names the grant that would let it. */
export async function passedUnlessHidden(client: pg.ClientBase): Promise<CheckOutcome> {
  const { rows } = await client.query<{ hidden: number; role: string }>(
    `SELECT count(*)::int AS hidden, current_user AS role FROM pg_stat_activity
      WHERE datname = current_database() AND backend_type IS NULL AND state IS NULL
        AND coalesce(application_name, '') NOT IN ('${PROBE_APPLICATION_NAME}', '${FIX_APPLICATION_NAME}')`,
  );
  const hidden = rows[0]?.hidden ?? 0;
  return hidden === 0
    ? { status: "passed" }
    : { status: "skipped", reason: `${hidden} session(s) of other roles are hidden from this role; grant it the monitoring role: ${monitoringGrant(rows[0]?.role ?? "")}` };
}
