// Cancelling or terminating is only ever done to the very session that was diagnosed (same pid
// and same query or transaction start), never to our own, a superuser's or a replication
// session, and only when PostgreSQL lets the role do it. A fix that cannot signal the backend
// is not planned, and apply says precisely why instead of reporting success.
import type pg from "pg";
import type { FixResult, IssueView } from "../../catalogue";
import { OWN_SESSIONS_SQL } from "../../probes/database";
import { sqlLiteral } from "../quote";
import { noEffect } from "../effect";

/** Columns (on pg_stat_activity `a` LEFT JOIN pg_roles `r` ON r.oid = a.usesysid) with what the
 * current role may do to the session. PostgreSQL's rule for pg_cancel_backend and
 * pg_terminate_backend (docs, "Server Signaling Functions"): only a superuser may signal a
 * superuser's backend; otherwise the role needs the privileges of the backend's role, or of
 * pg_signal_backend. pg_has_role(..., 'USAGE') is that "has the privileges of". */
export const SIGNAL_FACTS_SQL = `r.rolname AS holder_role, r.rolsuper AS holder_superuser, r.rolreplication AS holder_replication,
  current_user::text AS diagnosing_role,
  coalesce((SELECT s.rolsuper FROM pg_roles s WHERE s.rolname = current_user)
    OR (NOT r.rolsuper AND (pg_has_role(current_user, r.oid, 'USAGE') OR pg_has_role(current_user, 'pg_signal_backend', 'USAGE'))), false) AS may_signal`;

export interface SignalFactsRow {
  holder_role: string | null;
  holder_superuser: boolean | null;
  holder_replication: boolean | null;
  diagnosing_role: string;
  may_signal: boolean;
}

/** The facts as evidence; `mayKey` is mayCancel or mayTerminate, after what the fix would do. */
export function signalEvidence(row: SignalFactsRow, mayKey: "mayCancel" | "mayTerminate") {
  return {
    holderRole: row.holder_role,
    holderSuperuser: row.holder_superuser,
    holderReplication: row.holder_replication,
    diagnosingRole: row.diagnosing_role,
    [mayKey]: row.may_signal,
  };
}

/** Why the session cannot be signalled by this product, or null when it can. */
function signalRefusal(facts: { holderRole: unknown; holderSuperuser: unknown; holderReplication: unknown; diagnosingRole: unknown; may: unknown }): string | null {
  const holder = typeof facts.holderRole === "string" ? `role ${facts.holderRole}` : "an unknown role";
  const role = typeof facts.diagnosingRole === "string" ? facts.diagnosingRole : "the diagnosing role";
  if (facts.holderSuperuser === true) {
    return facts.may === true
      ? `the session belongs to superuser ${holder}; Troubleshooter never signals a superuser's backend (it may be a DBA's maintenance)`
      : `the session belongs to superuser ${holder}, and only a superuser may signal a superuser's backend (${role} is not one)`;
  }
  if (facts.holderReplication === true) return `the session belongs to replication ${holder}; Troubleshooter never signals a replication session`;
  if (facts.may !== true) {
    return facts.may === false
      ? `${role} may not signal backends of ${holder}: that needs the privileges of ${holder} or membership of pg_signal_backend`
      : "whether this role may signal the session was not recorded by the check";
  }
  return null;
}

/** The refusal for an issue's evidence (`mayKey` names the permission the check recorded). */
export function refusalFor(issue: IssueView, mayKey: "mayCancel" | "mayTerminate"): string | null {
  const e = issue.evidence;
  return signalRefusal({ holderRole: e.holderRole, holderSuperuser: e.holderSuperuser, holderReplication: e.holderReplication, diagnosingRole: e.diagnosingRole, may: e[mayKey] });
}

/** What a privileged person would run, guarded to the same session like the fix would be. */
export function privilegedStatement(fn: "pg_cancel_backend" | "pg_terminate_backend", pid: number, column: "query_start" | "xact_start", since: string): string {
  return `SELECT ${fn}(pid) FROM pg_stat_activity WHERE pid = ${pid} AND ${column} = ${sqlLiteral(since)}::timestamptz;`;
}

interface Current extends SignalFactsRow {
  visible: boolean;
  same: boolean;
  condition: boolean;
  state: string | null;
}

/** The session as it is now: is it the diagnosed one (same pid and start), does the condition
 * still hold, and may this role signal it. Null when the backend no longer exists. */
async function current(client: pg.ClientBase, pid: number, column: "query_start" | "xact_start", since: string, condition: string): Promise<Current | null> {
  const { rows } = await client.query<Current>(
    `SELECT ${SIGNAL_FACTS_SQL}, a.${column} IS NOT NULL OR a.state IS NOT NULL AS visible,
            coalesce(a.${column} = $2::timestamptz, false) AS same, coalesce(${condition}, false) AS condition, a.state
       FROM pg_stat_activity a LEFT JOIN pg_roles r ON r.oid = a.usesysid
      WHERE a.pid = $1 AND ${OWN_SESSIONS_SQL.replace("a.backend_type = 'client backend'", "coalesce(a.backend_type, 'client backend') = 'client backend'")}`,
    [pid, since],
  );
  return rows[0] ?? null;
}

export interface SignalRequest {
  fn: "pg_cancel_backend" | "pg_terminate_backend";
  pid: number;
  /** query_start for a cancel (the same query), xact_start for a terminate (the same transaction). */
  column: "query_start" | "xact_start";
  since: string;
  /** SQL condition on `a` that must still hold, e.g. the session is still idle in a transaction. */
  condition: string;
  /** "running that query", "idle in that transaction", "blocking other queries". */
  what: string;
}

/** Signals the diagnosed session if it is still the same and still at fault, then waits (up to
 * 3 s) to see the query or session really end: ok only when it did. */
export async function signalSession(client: pg.ClientBase, request: SignalRequest): Promise<FixResult> {
  const { fn, pid, column, since, condition, what } = request;
  const verb = fn === "pg_cancel_backend" ? "cancel" : "terminate";
  const before = await current(client, pid, column, since, condition);
  if (!before) return noEffect(`Backend ${pid} had already ended; nothing to ${verb}.`, true);
  if (!before.visible) return noEffect(`Not ${verb}ed: backend ${pid}'s activity is hidden from ${before.diagnosing_role} (grant it pg_read_all_stats), so it cannot be confirmed to be the diagnosed session.`, false);
  // A query that finished keeps its query_start until the next one: for a cancel, not active is ended.
  const ended = !before.same || (fn === "pg_cancel_backend" && before.state !== "active");
  if (ended) return noEffect(`Backend ${pid} is no longer ${what}: the diagnosed ${column === "query_start" ? "query" : "transaction"} already ended; nothing to ${verb}.`, true);
  const refusal = signalRefusal({ holderRole: before.holder_role, holderSuperuser: before.holder_superuser, holderReplication: before.holder_replication, diagnosingRole: before.diagnosing_role, may: before.may_signal });
  if (refusal) return noEffect(`Not ${verb}ed: ${refusal}.`, false);
  if (!before.condition) return noEffect(`Not ${verb}ed: backend ${pid} is still in the diagnosed ${column === "query_start" ? "query" : "transaction"} but no longer ${what} (state ${before.state ?? "unknown"}).`, false);

  const signalled = await client
    .query<{ sent: boolean }>(
      `SELECT ${fn}(a.pid) AS sent FROM pg_stat_activity a LEFT JOIN pg_roles r ON r.oid = a.usesysid
        WHERE a.pid = $1 AND a.${column} = $2::timestamptz AND NOT r.rolsuper AND NOT r.rolreplication AND ${OWN_SESSIONS_SQL} AND ${condition}`,
      [pid, since],
    )
    .catch(signalRefused);
  if ("refused" in signalled) return noEffect(`Not ${verb}ed: PostgreSQL refused to ${verb} backend ${pid}: ${signalled.refused}`, false);
  if (signalled.rows[0]?.sent !== true) {
    // Changed between the look and the signal: say what it is now.
    const now = await current(client, pid, column, since, condition);
    if (!now || !now.same || (fn === "pg_cancel_backend" && now.state !== "active")) return noEffect(`Backend ${pid} ${now ? `finished the diagnosed ${column === "query_start" ? "query" : "transaction"}` : "ended"} before the ${verb} request; nothing ${verb}ed.`, true);
    return noEffect(`Not ${verb}ed: backend ${pid} stopped being ${what} just before the signal.`, false);
  }
  for (let waited = 0; waited <= 3_000; waited += 100) {
    const now = await current(client, pid, column, since, condition);
    if (!now) return { ok: true, detail: fn === "pg_cancel_backend" ? `Cancelled the query of backend ${pid}; the session ended too.` : `Terminated session ${pid} (${what}); its transaction was rolled back.` };
    if (fn === "pg_cancel_backend" && (!now.same || now.state !== "active")) return { ok: true, detail: `Cancelled the query of backend ${pid}; its transaction was rolled back and the session stays open.` };
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return { ok: false, detail: `Sent ${fn}(${pid}), but the ${fn === "pg_cancel_backend" ? "query was still running" : "session still existed"} 3 s later (it may be in a step that does not check for interrupts).` };
}

/** Signalling a backend the role may not signal raises 42501: the server's words, not a crash. */
function signalRefused(err: unknown): { refused: string } {
  const { code, message } = err as { code?: string; message?: string };
  if (code === "42501") return { refused: `${message} (SQLSTATE 42501)` };
  throw err;
}
