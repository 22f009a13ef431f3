// One session of the target database by pid: what it runs and waits for, how long its query and
// transaction have been open, the locks it holds and awaits, who blocks it and whom it blocks.
import { z } from "zod";
import { redactQuery } from "../../probes/database";
import { OWN_APPLICATIONS, iso, readOnlyTransaction, seconds } from "./read-only";
import { type InvestigationTool, ToolRefusedError } from "./tool";

/** Locks listed at most (awaited first), and the query text's length (literals shown as `?`). */
export const LOCKS_MAX = 20;
export const SESSION_QUERY_MAX = 1_000;
const HIDDEN_TEXT = "<insufficient privilege>";

const args = z.object({ pid: z.number().int().min(1).max(2_147_483_647).describe("the backend pid of a target database session (from an issue's evidence)") }).strict();

interface ActivityRow {
  same_db: boolean | null;
  own: boolean;
  backend_type: string | null;
  application_name: string | null;
  usename: string | null;
  client_addr: string | null;
  state: string | null;
  wait_event_type: string | null;
  wait_event: string | null;
  query: string | null;
  backend_age: number | null;
  xact_age: number | null;
  query_age: number | null;
  query_start: Date | null;
  blocked_by: number[];
  blocks: number[];
}

interface LockRow {
  locktype: string;
  mode: string;
  granted: boolean;
  relation: string | null;
  transactionid: string | null;
  objid: string | null;
  count: number;
}

const ACTIVITY_SQL = `
SELECT a.datname = current_database() AS same_db, a.pid = pg_backend_pid() AS own, a.backend_type, a.application_name,
       a.usename::text, host(a.client_addr) AS client_addr, a.state, a.wait_event_type, a.wait_event, a.query,
       extract(epoch FROM clock_timestamp() - a.backend_start)::float8 AS backend_age,
       extract(epoch FROM clock_timestamp() - a.xact_start)::float8 AS xact_age,
       extract(epoch FROM clock_timestamp() - a.query_start)::float8 AS query_age, a.query_start,
       pg_blocking_pids(a.pid) AS blocked_by,
       ARRAY(SELECT b.pid FROM pg_stat_activity b WHERE a.pid = ANY(pg_blocking_pids(b.pid)) ORDER BY b.pid) AS blocks
  FROM pg_stat_activity a WHERE a.pid = $1`;

// Locks of one kind grouped (a session holds one per row or tuple it touched); relation names as
// the catalog has them (only for this database's relations).
const LOCKS_SQL = `
SELECT l.locktype, l.mode, l.granted,
       CASE WHEN l.database = (SELECT oid FROM pg_database WHERE datname = current_database()) THEN l.relation::regclass::text END AS relation,
       l.transactionid::text, CASE WHEN l.locktype = 'advisory' THEN l.objid::text END AS objid, count(*)::int AS count
  FROM pg_locks l WHERE l.pid = $1
 GROUP BY 1, 2, 3, 4, 5, 6
 ORDER BY l.granted, (l.locktype = 'virtualxid'), 4 NULLS LAST, 1, 2
 LIMIT ${LOCKS_MAX + 1}`;

export const sessionActivity: InvestigationTool<z.output<typeof args>> = {
  name: "session_activity",
  description:
    "One session of the target database by pid: state, wait event, backend/transaction/query age in seconds, application, user, client address, its query (literals as ?), the locks it holds and awaits (type, mode, granted, relation), the pids blocking it (blockedBy) and those it blocks. Use it on a blocked, idle-in-transaction or long-running session.",
  args,
  async run({ pid }, ctx) {
    return readOnlyTransaction(ctx, async (client) => {
      const row = (await client.query<ActivityRow>(ACTIVITY_SQL, [pid])).rows[0];
      if (!row) throw new ToolRefusedError(`no session with pid ${pid} in the target database server`);
      if (row.own || OWN_APPLICATIONS.includes(row.application_name ?? "")) throw new ToolRefusedError(`pid ${pid} is one of Troubleshooter's own sessions`);
      if (row.same_db === false) throw new ToolRefusedError(`pid ${pid} is connected to another database than the target's`);
      const all = (await client.query<LockRow>(LOCKS_SQL, [pid])).rows;
      const locks = all.slice(0, LOCKS_MAX);
      const visible = row.query !== null && row.query !== HIDDEN_TEXT;
      return {
        pid,
        backendType: row.backend_type,
        application: row.application_name ?? "",
        user: row.usename,
        clientAddress: row.client_addr,
        state: row.state,
        waitEventType: row.wait_event_type,
        waitEvent: row.wait_event,
        backendAgeSeconds: seconds(row.backend_age),
        xactAgeSeconds: seconds(row.xact_age),
        queryAgeSeconds: seconds(row.query_age),
        queryStart: iso(row.query_start),
        query: visible ? redactQuery(row.query as string, SESSION_QUERY_MAX) : null,
        queryHidden: !visible,
        blockedBy: row.blocked_by ?? [],
        blocks: row.blocks ?? [],
        locksHeld: locks.filter((l) => l.granted).map(lockView),
        locksAwaited: locks.filter((l) => !l.granted).map(lockView),
        locksTruncated: all.length > LOCKS_MAX,
      };
    });
  },
};

function lockView(l: LockRow) {
  return {
    locktype: l.locktype,
    mode: l.mode,
    relation: l.relation,
    ...(l.transactionid ? { transactionId: l.transactionid } : {}),
    ...(l.objid ? { advisoryKey: l.objid } : {}),
    ...(l.count > 1 ? { count: l.count } : {}),
  };
}
