import type { Check, IssueDraft } from "../../catalogue";
import { OWN_SESSIONS_SQL, redactQuery } from "../../probes/database";
import { SIGNAL_FACTS_SQL, type SignalFactsRow, signalEvidence } from "../../fixes/database/session-guard";
import { passedUnlessHidden, readOnly } from "./shared";

/** check_postgres flags sessions idle in a transaction; holding locks makes them serious. */
const IDLE_TX_THRESHOLDS = { idleSeconds: 60 };

interface Row extends SignalFactsRow {
  pid: number;
  seconds: number;
  xact_start: string;
  usename: string | null;
  application: string | null;
  query: string;
  locks: number;
}

export const dbIdleInTransaction: Check = {
  code: "db.idle_in_transaction",
  domain: "database",
  title: "Sessions idle in a transaction",
  description: `Sessions idle inside an open transaction for over ${IDLE_TX_THRESHOLDS.idleSeconds} s: medium, high when they hold locks.`,
  thresholds: IDLE_TX_THRESHOLDS,
  async run({ target, signal, thresholds }) {
    const t = { ...IDLE_TX_THRESHOLDS, ...thresholds };
    return readOnly(target, signal, async (client) => {
      const { rows } = await client.query<Row>(
        `SELECT a.pid, extract(epoch FROM now() - a.state_change)::float AS seconds,
                to_char(a.xact_start AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS xact_start,
                a.usename, a.application_name AS application, a.query,
                (SELECT count(*)::int FROM pg_locks l WHERE l.pid = a.pid AND l.granted AND l.locktype IN ('relation', 'tuple', 'transactionid')
                   AND NOT (l.locktype = 'relation' AND l.mode = 'AccessShareLock')) AS locks, ${SIGNAL_FACTS_SQL}
           FROM pg_stat_activity a LEFT JOIN pg_roles r ON r.oid = a.usesysid
          WHERE a.state IN ('idle in transaction', 'idle in transaction (aborted)') AND ${OWN_SESSIONS_SQL} AND a.datname = current_database()
            AND now() - a.state_change > make_interval(secs => $1)
          ORDER BY a.state_change LIMIT 20`,
        [t.idleSeconds],
      );
      return rows.length === 0 ? passedUnlessHidden(client) : { status: "issues", issues: rows.map(toIssue) };
    });
  },
};

function toIssue(row: Row): IssueDraft {
  const seconds = Math.round(row.seconds);
  return {
    severity: row.locks > 0 ? "high" : "medium",
    title: `Session ${row.pid} idle in a transaction for ${seconds} s${row.locks > 0 ? `, holding ${row.locks} lock(s)` : ""}`,
    description: "An open transaction that does nothing keeps its locks and its snapshot: others wait, and vacuum cannot clean up behind it.",
    subject: `pid:${row.pid}:${row.xact_start}`,
    evidence: { pid: row.pid, idleSeconds: seconds, xactStart: row.xact_start, user: row.usename, application: row.application, lastQuery: redactQuery(row.query), locksHeld: row.locks,
      // Whether db.terminate_idle_in_transaction can work: PostgreSQL's signalling rule, for the diagnosing role.
      ...signalEvidence(row, "mayTerminate") },
    recommendation: "Make the application commit or roll back promptly (an interactive Prisma $transaction left open, or an exception path without rollback); set idle_in_transaction_session_timeout.",
  };
}
