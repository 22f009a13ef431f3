import type { Check, IssueDraft } from "../../catalogue";
import { OWN_SESSIONS_SQL, redactQuery } from "../../probes/database";
import { passedUnlessHidden, readOnly } from "./shared";

/** The key Prisma Migrate passes to pg_advisory_lock around `migrate deploy`/`dev` (schema
 * engine, "72707369" — it gives up after 10 s with P1002 "Timed out trying to acquire a postgres
 * advisory lock"). */
export const PRISMA_MIGRATE_LOCK_KEY = 72707369;

/** An idle session keeps a session-level advisory lock until it unlocks or disconnects. Prisma's
 * own wait is 10 s; a minute idle is well past any live deploy's pause between statements. */
const ADVISORY_LOCK_THRESHOLDS = { idleSeconds: 60 };

interface Row {
  pid: number;
  /** Microsecond precision: with the pid, the identity of this very session for the fix. */
  backend_start: string;
  idle_since: string;
  idle_seconds: number;
  usename: string | null;
  application: string | null;
  client_addr: string | null;
  query: string;
  /** The lock's key as pg_locks gives it: one bigint is (classid << 32 | objid) with objsubid 1. */
  key: string;
  prisma: boolean;
  waiting: number[];
  may_terminate: boolean;
  holder_superuser: boolean;
}

/**
 * db.advisory_locks: session-level advisory locks held by sessions that sit idle (no transaction),
 * when it matters: Prisma Migrate's lock (every later deploy fails with P1002: high) or any key
 * that other sessions are waiting for (medium, high when they wait on Prisma's). An idle holder
 * nobody waits for is a normal leader or singleton lock (workers, cron) and is not reported.
 * Evidence: holder pid, role, application, client address, idle since, the last query, waiters.
 */
export const dbAdvisoryLocks: Check = {
  code: "db.advisory_locks",
  domain: "database",
  title: "Advisory locks held by idle sessions",
  description: `Session-level advisory locks held by sessions idle for ${ADVISORY_LOCK_THRESHOLDS.idleSeconds}+ s: Prisma Migrate's lock (${PRISMA_MIGRATE_LOCK_KEY}) high, any other key medium when sessions wait for it.`,
  thresholds: ADVISORY_LOCK_THRESHOLDS,
  async run({ target, signal, thresholds }) {
    const t = { ...ADVISORY_LOCK_THRESHOLDS, ...thresholds };
    return readOnly(target, signal, async (client) => {
      const { rows } = await client.query<Row>(
        `WITH held AS (
           SELECT l.pid, l.classid, l.objid, l.objsubid, l.database,
                  CASE WHEN l.objsubid = 1 THEN ((l.classid::bigint << 32) | l.objid::bigint)::text ELSE l.classid || ',' || l.objid END AS key
             FROM pg_locks l
            WHERE l.locktype = 'advisory' AND l.granted AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database()))
         SELECT a.pid, to_char(a.backend_start AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS backend_start,
                to_char(a.state_change AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS idle_since,
                extract(epoch FROM now() - a.state_change)::float AS idle_seconds,
                a.usename, a.application_name AS application, host(a.client_addr) AS client_addr, a.query, h.key,
                h.objsubid = 1 AND h.key = $2 AS prisma,
                ARRAY(SELECT w.pid FROM pg_locks w WHERE w.locktype = 'advisory' AND NOT w.granted AND w.database = h.database
                         AND w.classid = h.classid AND w.objid = h.objid AND w.objsubid = h.objsubid ORDER BY w.pid) AS waiting,
                r.rolsuper AS holder_superuser,
                CASE WHEN (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) THEN true
                     WHEN r.rolsuper THEN false
                     ELSE pg_has_role(current_user, r.oid, 'MEMBER') OR pg_has_role(current_user, 'pg_signal_backend', 'MEMBER') END AS may_terminate
           FROM held h JOIN pg_stat_activity a ON a.pid = h.pid JOIN pg_roles r ON r.oid = a.usesysid
          WHERE a.state = 'idle' AND ${OWN_SESSIONS_SQL} AND now() - a.state_change > make_interval(secs => $1)
          ORDER BY a.state_change`,
        [t.idleSeconds, String(PRISMA_MIGRATE_LOCK_KEY)],
      );
      const issues = rows.filter((row) => row.prisma || row.waiting.length > 0).map(toIssue);
      return issues.length === 0 ? passedUnlessHidden(client) : { status: "issues", issues };
    });
  },
};

function toIssue(row: Row): IssueDraft {
  const idle = Math.round(row.idle_seconds);
  const who = `session ${row.pid} (${[row.usename, row.application && `"${row.application}"`, row.client_addr].filter(Boolean).join(", ")})`;
  const waiting = row.waiting.length > 0 ? ` ${row.waiting.length} session(s) are waiting for it.` : "";
  return {
    severity: row.prisma ? "high" : "medium",
    title: row.prisma
      ? `Prisma Migrate's advisory lock is held by idle ${who}`
      : `Advisory lock ${row.key} is held by idle ${who}, and others wait for it`,
    description: row.prisma
      ? `The session took Prisma Migrate's lock (pg_advisory_lock(${PRISMA_MIGRATE_LOCK_KEY})) and has been idle since ${row.idle_since} (${idle} s): every \`prisma migrate deploy\` waits 10 s for it and fails with P1002 until it is released.${waiting}`
      : `The session has held this session-level advisory lock while idle since ${row.idle_since} (${idle} s).${waiting}`,
    subject: `pid:${row.pid}:${row.backend_start}:advisory:${row.key}`,
    evidence: {
      pid: row.pid,
      backendStart: row.backend_start,
      idleSince: row.idle_since,
      idleSeconds: idle,
      user: row.usename,
      application: row.application,
      clientAddress: row.client_addr,
      lastQuery: redactQuery(row.query),
      lockKey: row.key,
      prismaMigrateLock: row.prisma,
      waitingPids: row.waiting,
      holderSuperuser: row.holder_superuser,
      mayTerminate: row.may_terminate,
    },
    recommendation: row.prisma
      ? "Find the deploy that took it (application, client address): if it is gone, end the session (pg_terminate_backend) and deploy again. Behind PgBouncer in transaction mode, run migrations on a direct connection (Prisma's directUrl): a session lock does not belong on a pooled connection."
      : "Make the application release the lock (pg_advisory_unlock) or take transaction-level locks (pg_advisory_xact_lock) that end with the transaction; if the holder is stuck, end its session.",
  };
}
