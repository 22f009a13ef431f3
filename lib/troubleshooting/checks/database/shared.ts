import type pg from "pg";
import { type DbError, describeDbError, isConnectionFailure, serverReason } from "../../../health/pg-errors";
import type { CheckOutcome, Target } from "../../catalogue";
import { BlockedAddressError } from "../../probes/address-policy";
import { sqlIdentifier } from "../../fixes/quote";
import { FIX_APPLICATION_NAME, PROBE_APPLICATION_NAME, withDatabase } from "../../probes/database";
import { OWN_SCHEMAS } from "../../../own-schemas";

/** The check that reports a connection failure itself: db.auth_failed for rejected credentials
 * or pg_hba.conf, db.unreachable for everything else that stops a session from opening. */
function reportingCheck(error: DbError): "db.auth_failed" | "db.unreachable" {
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
export function dbCheckError(err: unknown, role?: string): CheckOutcome {
  if (err instanceof BlockedAddressError) return { status: "error", reason: err.message };
  const error = describeDbError(err);
  if (isConnectionFailure(error)) return { status: "skipped", reason: `${withServerReason(error)} (see ${reportingCheck(error)})` };
  if (error.code === "insufficient_privilege") return { status: "skipped", reason: `${withServerReason(error)}: ${privilegeGrant(error.serverMessage ?? "", role)}` };
  return { status: "error", reason: withServerReason(error) };
}

/** The grant that lifts a 42501. pg_monitor lets a role read statistics views and server
 * settings, not tables' rows: "permission denied for table X" (a table the check reads, such as
 * _prisma_migrations) needs SELECT on X, or pg_read_all_data (PostgreSQL 14+); a schema needs
 * USAGE. Anything else is the monitoring role's (pg_stat_* functions, pg_ls_* and the like). */
function privilegeGrant(serverMessage: string, role?: string): string {
  const grantee = role ? sqlIdentifier(role) : "<the role>";
  const denied = /permission denied for (table|view|materialized view|sequence|schema) (.+)$/.exec(serverMessage.trim());
  const kind = denied?.[1];
  const name = denied?.[2];
  if (kind && name) {
    const object = sqlIdentifier(name);
    if (kind === "schema") return `the role may not use schema ${name}; grant it: GRANT USAGE ON SCHEMA ${object} TO ${grantee};`;
    const what = kind === "sequence" ? `SEQUENCE ${object}` : `TABLE ${object}`;
    return `the role may not read ${kind} ${name} (pg_monitor does not grant reading tables); grant it: GRANT SELECT ON ${what} TO ${grantee}; (or GRANT pg_read_all_data TO ${grantee}; on PostgreSQL 14+, which reads every table)`;
  }
  return `the role cannot see what this check reads; grant it the monitoring role (or the privilege named above): ${role ? monitoringGrant(role) : "GRANT pg_monitor TO <the role>;"}`;
}

/** The role a database URL signs in as (what a grant must name). */
function urlRole(databaseUrl: string): string | undefined {
  try {
    const user = decodeURIComponent(new URL(databaseUrl).username);
    return user === "" ? undefined : user;
  } catch {
    return undefined;
  }
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
    return dbCheckError(err, urlRole(target.databaseUrl));
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

/**
 * SQL condition: `schemaColumn` is not one of the add-on's own schemas (OWN_SCHEMAS). When the
 * add-on shares the diagnosed database (mounted in the host, or the standalone app diagnosing its
 * own), its tables, indexes, sequences, constraints and migrations are left out by name, not by
 * shape: they are not the application's, and a finding about them would ask the host to change
 * what the add-on's migrations own. (Other libraries' tables are recognised by libraryOwnerSql.)
 */
export function notOwnSchemaSql(schemaColumn: string): string {
  return `${schemaColumn} NOT IN (${OWN_SCHEMAS.map((s) => `'${s}'`).join(", ")})`;
}

/**
 * SQL yielding who owns the schema of relation `rel` (a pg_class alias) when it is not the
 * application's: "extension <name>" for an extension's member (pg_depend deptype 'e'), or a
 * library that creates and migrates its own tables: pg-boss (a schema holding its `version`,
 * `job` and `queue` or `archive` tables; partitions included), graphile-worker (its
 * `_private_jobs` and `migrations`), LangGraph's Postgres checkpointer (`checkpoints`,
 * `checkpoint_blobs`, `checkpoint_writes` beside `checkpoint_migrations`). NULL otherwise.
 * Schema advice ("add an index", "add a primary key") does not fit such tables: the library's
 * migrations own them, may drop or conflict with what is added by hand, and pg-boss creates a
 * new partition for each queue without it. Operational findings (vacuum, bloat) still apply.
 */
export function libraryOwnerSql(rel: string): string {
  const has = (name: string) => `EXISTS (SELECT 1 FROM pg_class l WHERE l.relnamespace = ${rel}.relnamespace AND l.relname = '${name}' AND l.relkind IN ('r', 'p'))`;
  return `(SELECT CASE
      WHEN e.extname IS NOT NULL THEN 'extension ' || e.extname
      WHEN ${has("version")} AND ${has("job")} AND (${has("queue")} OR ${has("archive")}) THEN 'pg-boss'
      WHEN ${has("_private_jobs")} AND ${has("migrations")} THEN 'graphile-worker'
      WHEN ${rel}.relname IN ('checkpoints', 'checkpoint_blobs', 'checkpoint_writes', 'checkpoint_migrations') AND ${has("checkpoint_migrations")} THEN 'LangGraph checkpointer'
    END
    FROM (SELECT (SELECT x.extname FROM pg_depend d JOIN pg_extension x ON x.oid = d.refobjid
                   WHERE d.classid = 'pg_class'::regclass AND d.objid = ${rel}.oid AND d.refclassid = 'pg_extension'::regclass AND d.deptype = 'e' LIMIT 1) AS extname) e)`;
}

/** "pg-boss: 3 (pgboss.queue, ...)": what a check left out because a library or an extension owns it. */
export function leftOutNote(what: string, owned: { owner: string; name: string }[]): string | undefined {
  if (owned.length === 0) return undefined;
  const byOwner = new Map<string, string[]>();
  for (const o of owned) byOwner.set(o.owner, [...(byOwner.get(o.owner) ?? []), o.name]);
  const parts = [...byOwner].map(([owner, names]) => `${owner}: ${names.length} (${names.slice(0, 3).join(", ")}${names.length > 3 ? ", ..." : ""})`);
  return `Left out ${owned.length} ${what} of tables a library or an extension creates and migrates itself (${parts.join("; ")}): changes there belong to that library, not to the application's migrations.`;
}

/** Said after the advice when the diagnosing role may not VACUUM/ANALYZE the table (then the safe
 * maintenance fixes are not planned either). */
export function maintenanceRefused(mayMaintain: boolean): string {
  return mayMaintain ? "" : " This role may not do it (not the table's owner; PostgreSQL 17+: GRANT MAINTAIN ON the table, or pg_maintain): run it as the owner.";
}
