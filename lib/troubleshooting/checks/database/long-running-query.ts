import type { Check, IssueDraft } from "../../catalogue";
import { FIX_APPLICATION_NAME, PROBE_APPLICATION_NAME, redactQuery } from "../../probes/database";
import { SIGNAL_FACTS_SQL, type SignalFactsRow, signalEvidence } from "../../fixes/database/session-guard";
import { passedUnlessHidden, readOnly } from "./shared";

/** PgHero's long-query default is 60 s; over 5 minutes it is serious. */
const LONG_QUERY_THRESHOLDS = { mediumSeconds: 60, highSeconds: 300 };

interface Row extends SignalFactsRow {
  pid: number;
  seconds: number;
  /** Microsecond precision, so the cancel action can match this very query. */
  query_start: string;
  query: string;
  usename: string | null;
  application: string | null;
  wait_event_type: string | null;
  wait_event: string | null;
}

export const dbLongRunningQuery: Check = {
  code: "db.long_running_query",
  domain: "database",
  title: "Long-running queries",
  description: `Active queries running over ${LONG_QUERY_THRESHOLDS.mediumSeconds} s (medium) or ${LONG_QUERY_THRESHOLDS.highSeconds} s (high).`,
  thresholds: LONG_QUERY_THRESHOLDS,
  async run({ target, signal, thresholds }) {
    const t = { ...LONG_QUERY_THRESHOLDS, ...thresholds };
    return readOnly(target, signal, async (client) => {
      const { rows } = await client.query<Row>(
        `SELECT a.pid, extract(epoch FROM now() - a.query_start)::float AS seconds,
                to_char(a.query_start AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS query_start, a.query, a.usename,
                a.application_name AS application, a.wait_event_type, a.wait_event, ${SIGNAL_FACTS_SQL}
           FROM pg_stat_activity a LEFT JOIN pg_roles r ON r.oid = a.usesysid
          WHERE a.state = 'active' AND a.backend_type = 'client backend' AND a.pid <> pg_backend_pid() AND a.datname = current_database()
            AND a.application_name NOT IN ($1, $2)
            AND now() - a.query_start > make_interval(secs => $3)
          ORDER BY a.query_start LIMIT 20`,
        [PROBE_APPLICATION_NAME, FIX_APPLICATION_NAME, t.mediumSeconds],
      );
      if (rows.length === 0) return passedUnlessHidden(client);
      return { status: "issues", issues: rows.map((row) => toIssue(row, t.highSeconds)) };
    });
  },
};

function toIssue(row: Row, highSeconds: number): IssueDraft {
  const seconds = Math.round(row.seconds);
  return {
    severity: seconds > highSeconds ? "high" : "medium",
    title: `Query running for ${seconds} s (pid ${row.pid})`,
    description: "A query has been running far longer than a web request can wait; it holds a connection and may hold locks others wait for.",
    subject: `pid:${row.pid}:${row.query_start}`,
    evidence: {
      pid: row.pid,
      durationSeconds: seconds,
      queryStart: row.query_start,
      query: redactQuery(row.query),
      user: row.usename,
      application: row.application,
      waitEvent: row.wait_event ? `${row.wait_event_type}:${row.wait_event}` : null,
      // Whether db.cancel_query can work: PostgreSQL's signalling rule, for the diagnosing role.
      ...signalEvidence(row, "mayCancel"),
    },
    recommendation: "Find what runs this query (application and user above); add an index or a statement_timeout for it.",
  };
}
