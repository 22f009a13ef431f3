import type pg from "pg";
import { describeDbError } from "../../../health/pg-errors";
import type { CheckOutcome, Target } from "../../catalogue";
import { BlockedAddressError } from "../../probes/address-policy";
import { FIX_APPLICATION_NAME, PROBE_APPLICATION_NAME, withDatabase } from "../../probes/database";

/** Checks that need a database session report why they could not run; db.unreachable reports
 * the connection failure itself once. */
export function dbCheckError(err: unknown): CheckOutcome {
  if (err instanceof BlockedAddressError) return { status: "error", reason: err.message };
  const { code, message } = describeDbError(err);
  return code === "unreachable" || code === "auth_failed" || code === "database_missing"
    ? { status: "skipped", reason: `${message} (see ${code === "auth_failed" ? "db.auth_failed" : "db.unreachable"})` }
    : { status: "error", reason: message };
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
    const { code, message } = describeDbError(err);
    if (connected && code === "unreachable") return { status: "error", reason: `${message} (lost mid-check: the server restarted or ended the session)` };
    return dbCheckError(err);
  }
}

/** "Passed", unless other roles' sessions in this database are hidden from this role (without
 * pg_read_all_stats their type and state read as NULL): then the check could not look. */
export async function passedUnlessHidden(client: pg.ClientBase): Promise<CheckOutcome> {
  const { rows } = await client.query<{ hidden: number }>(
    `SELECT count(*)::int AS hidden FROM pg_stat_activity
      WHERE datname = current_database() AND backend_type IS NULL AND state IS NULL
        AND coalesce(application_name, '') NOT IN ('${PROBE_APPLICATION_NAME}', '${FIX_APPLICATION_NAME}')`,
  );
  const hidden = rows[0]?.hidden ?? 0;
  return hidden === 0
    ? { status: "passed" }
    : { status: "skipped", reason: `${hidden} session(s) of other roles are hidden from this role; grant it pg_monitor (or pg_read_all_stats)` };
}
