// The live database view (PgHero's "live queries", outside any run): the target database's client
// sessions from pg_stat_activity with their query, ages and wait, and the blocking chains from
// pg_blocking_pids() as trees, root blockers first. Read through the checks' own read-only
// sessions (probes/database.ts), in a READ ONLY transaction with its own statement_timeout.
import { OWN_SESSIONS_SQL, redactQuery, withDatabase } from "../probes/database";
import { SIGNAL_FACTS_SQL } from "../fixes/database/session-guard";

/** Longest query text shown (after literals are replaced by `?`). */
export const QUERY_TEXT_MAX = 500;
const STATEMENT_TIMEOUT_MS = 3_000;
/** Sessions listed at most (active first, then idle in transaction, then idle). */
export const MAX_SESSIONS = 500;

export interface LiveSession {
  pid: number;
  user: string | null;
  application: string;
  /** "active", "idle in transaction", ...; null when the role may not see it. */
  state: string | null;
  /** The query text with literals as `?`, truncated to QUERY_TEXT_MAX; null when hidden. */
  query: string | null;
  /** False: the role may not see this session's query, state or times (another role's session,
   * and no pg_read_all_stats): the page says so, never "no query". */
  visible: boolean;
  /** Seconds since the current (or last) query started; null when hidden or none. */
  queryAgeSeconds: number | null;
  /** Seconds since its transaction started; null when not in one, or hidden. */
  xactAgeSeconds: number | null;
  /** To the microsecond, as PostgreSQL has it (with the pid, the session's identity for actions). */
  queryStart: string | null;
  xactStart: string | null;
  waitEventType: string | null;
  waitEvent: string | null;
  /** The pids that block it (pg_blocking_pids). */
  blockedBy: number[];
  /** Whether this role may signal it (cancel, terminate) by PostgreSQL's rules and ours (never a
   * superuser's or a replication session). */
  maySignal: boolean;
  /** Why not, when it may not. */
  signalRefusal: string | null;
}

/** A blocking tree: `session` blocks each of `blocks`. */
export interface BlockingNode {
  pid: number;
  blocks: BlockingNode[];
}

export interface LiveDatabaseView {
  at: string;
  /** The role the view reads as. */
  role: string;
  /** The role has pg_read_all_stats (or is a superuser): it sees every session's query. */
  seesAll: boolean;
  sessions: LiveSession[];
  /** Root blockers (block someone, blocked by nobody) first, each with whom it blocks. */
  chains: BlockingNode[];
  /** Sessions whose queries the role may not see. */
  hidden: number;
  /** More than MAX_SESSIONS sessions: the idle ones past it are left out. */
  truncated: boolean;
}

interface Row {
  pid: number;
  usename: string | null;
  application_name: string | null;
  state: string | null;
  query: string | null;
  visible: boolean;
  query_age: number | null;
  xact_age: number | null;
  query_start: string | null;
  xact_start: string | null;
  wait_event_type: string | null;
  wait_event: string | null;
  blocked_by: number[];
  holder_superuser: boolean | null;
  holder_replication: boolean | null;
  may_signal: boolean;
  role: string;
  sees_all: boolean;
}

// Another role's session shows a null backend_type to a role without pg_read_all_stats: count it
// as a client (it is listed as hidden), as session-guard.ts does.
const VISIBLE_OR_HIDDEN_CLIENTS = OWN_SESSIONS_SQL.replace("a.backend_type = 'client backend'", "coalesce(a.backend_type, 'client backend') = 'client backend'");

const SQL = `
SELECT a.pid, a.usename::text, a.application_name, a.state, a.query,
       (pg_has_role(current_user, 'pg_read_all_stats', 'USAGE') OR (a.usesysid IS NOT NULL AND pg_has_role(current_user, a.usesysid, 'USAGE'))) AS visible,
       extract(epoch FROM clock_timestamp() - a.query_start)::float8 AS query_age,
       extract(epoch FROM clock_timestamp() - a.xact_start)::float8 AS xact_age,
       to_char(a.query_start AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS query_start,
       to_char(a.xact_start AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS xact_start, a.wait_event_type, a.wait_event,
       pg_blocking_pids(a.pid) AS blocked_by,
       ${SIGNAL_FACTS_SQL},
       current_user::text AS role,
       pg_has_role(current_user, 'pg_read_all_stats', 'USAGE') AS sees_all
  FROM pg_stat_activity a LEFT JOIN pg_roles r ON r.oid = a.usesysid
 WHERE ${VISIBLE_OR_HIDDEN_CLIENTS} AND a.usesysid IS NOT NULL AND a.datname = current_database()
 ORDER BY CASE WHEN a.state = 'active' THEN 0 WHEN a.state LIKE 'idle in transaction%' THEN 1 ELSE 2 END,
          a.xact_start NULLS LAST, a.query_start NULLS LAST, a.pid
 LIMIT ${MAX_SESSIONS + 1}`;

const seconds = (v: number | null) => (v == null ? null : Math.max(0, Math.round(v * 10) / 10));

function refusal(row: Row): string | null {
  if (row.holder_superuser) return "a superuser's session: Troubleshooter never signals it";
  if (row.holder_replication) return "a replication session: Troubleshooter never signals it";
  if (!row.may_signal) return `${row.role} may not signal it (needs the privileges of its role or pg_signal_backend)`;
  return null;
}

/** The current sessions of the database at `databaseUrl` (with its password: server side only). */
export async function readLiveDatabase(databaseUrl: string, signal: AbortSignal): Promise<LiveDatabaseView> {
  const rows = await withDatabase(databaseUrl, signal, "read-only", async (client) => {
    await client.query("BEGIN READ ONLY");
    try {
      await client.query(`SET LOCAL statement_timeout = ${STATEMENT_TIMEOUT_MS}`);
      const { rows } = await client.query<Row>(SQL);
      return rows;
    } finally {
      await client.query("ROLLBACK").catch(() => undefined);
    }
  });
  const truncated = rows.length > MAX_SESSIONS;
  const sessions: LiveSession[] = rows.slice(0, MAX_SESSIONS).map((r) => ({
    pid: r.pid,
    user: r.usename,
    application: r.application_name ?? "",
    state: r.visible ? r.state : null,
    query: r.visible && r.query != null ? redactQuery(r.query, QUERY_TEXT_MAX) : null,
    visible: r.visible,
    queryAgeSeconds: r.visible ? seconds(r.query_age) : null,
    xactAgeSeconds: r.visible ? seconds(r.xact_age) : null,
    queryStart: r.visible ? r.query_start : null,
    xactStart: r.visible ? r.xact_start : null,
    waitEventType: r.wait_event_type,
    waitEvent: r.wait_event,
    blockedBy: r.blocked_by ?? [],
    maySignal: refusal(r) === null,
    signalRefusal: refusal(r),
  }));
  return {
    at: new Date().toISOString(),
    role: rows[0]?.role ?? "",
    seesAll: rows[0]?.sees_all ?? false,
    sessions,
    chains: blockingChains(sessions),
    hidden: sessions.filter((s) => !s.visible).length,
    truncated,
  };
}

/**
 * Trees of who blocks whom: a root blocks someone and is blocked by nobody (in view). A session
 * blocked by two shows under both. A cycle (a deadlock PostgreSQL has not yet broken) has no root:
 * its first member is taken as one, and each pid appears once per path.
 */
export function blockingChains(sessions: Pick<LiveSession, "pid" | "blockedBy">[]): BlockingNode[] {
  const blocks = new Map<number, number[]>();
  for (const s of sessions) for (const by of s.blockedBy) blocks.set(by, [...(blocks.get(by) ?? []), s.pid]);
  const blocked = new Set(sessions.filter((s) => s.blockedBy.length > 0).map((s) => s.pid));
  const build = (pid: number, path: Set<number>): BlockingNode => ({
    pid,
    blocks: (blocks.get(pid) ?? []).filter((p) => !path.has(p)).map((p) => build(p, new Set([...path, p]))),
  });
  const roots = [...blocks.keys()].filter((pid) => !blocked.has(pid));
  const covered = new Set<number>();
  const mark = (n: BlockingNode) => { covered.add(n.pid); n.blocks.forEach(mark); };
  const trees = roots.map((pid) => build(pid, new Set([pid])));
  trees.forEach(mark);
  for (const pid of blocks.keys()) {
    if (covered.has(pid)) continue;
    const tree = build(pid, new Set([pid]));
    mark(tree);
    trees.push(tree);
  }
  return trees;
}
