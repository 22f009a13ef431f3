import type { Check, IssueDraft } from "../../catalogue";
import { OWN_SESSIONS_SQL, redactQuery } from "../../probes/database";
import { SIGNAL_FACTS_SQL, type SignalFactsRow, signalEvidence } from "../../fixes/database/session-guard";
import { passedUnlessHidden, readOnly } from "./shared";

const BLOCKED_THRESHOLDS = { waitSeconds: 10 };

interface Row {
  pid: number;
  seconds: number;
  query: string;
  blockers: number[];
}

interface Session extends SignalFactsRow {
  pid: number;
  state: string | null;
  xact_start: string | null;
  query: string;
  application: string | null;
  blocked_by: number[];
}

export const dbBlockedQueries: Check = {
  code: "db.blocked_queries",
  domain: "database",
  title: "Queries blocked by locks",
  description: `Queries waiting on a lock for over ${BLOCKED_THRESHOLDS.waitSeconds} s, grouped by the session at the root of the blocking chain (high).`,
  thresholds: BLOCKED_THRESHOLDS,
  async run({ target, signal, thresholds }) {
    const t = { ...BLOCKED_THRESHOLDS, ...thresholds };
    return readOnly(target, signal, async (client) => {
      const waiting = await client.query<Row>(
        `SELECT a.pid, extract(epoch FROM now() - w.waitstart)::float AS seconds, a.query, pg_blocking_pids(a.pid) AS blockers
           FROM pg_stat_activity a
           JOIN LATERAL (SELECT min(l.waitstart) AS waitstart FROM pg_locks l WHERE l.pid = a.pid AND NOT l.granted) w ON true
          WHERE a.wait_event_type = 'Lock' AND ${OWN_SESSIONS_SQL} AND a.datname = current_database() AND now() - w.waitstart > make_interval(secs => $1)
          ORDER BY w.waitstart LIMIT 50`,
        [t.waitSeconds],
      );
      if (waiting.rows.length === 0) return passedUnlessHidden(client);
      const sessions = await client.query<Session>(
        `SELECT a.pid, a.state, to_char(a.xact_start AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS xact_start, a.query,
                a.application_name AS application, pg_blocking_pids(a.pid) AS blocked_by, ${SIGNAL_FACTS_SQL}
           FROM pg_stat_activity a LEFT JOIN pg_roles r ON r.oid = a.usesysid WHERE a.backend_type = 'client backend'`,
      );
      const byPid = new Map(sessions.rows.map((s) => [s.pid, s]));
      const byRoot = new Map<number, { chain: number[]; blocked: Row[] }>();
      for (const row of waiting.rows) {
        const chain = chainToRoot(row.pid, byPid);
        const root = chain.at(-1) ?? row.pid;
        const group = byRoot.get(root) ?? { chain, blocked: [] };
        group.blocked.push(row);
        byRoot.set(root, group);
      }
      const issues = [...byRoot].map(([root, group]) => toIssue(root, group.chain, group.blocked, byPid.get(root)));
      return { status: "issues", issues };
    });
  },
};

/** Follows the first blocker of each session until one is not blocked itself (or a cycle). */
function chainToRoot(pid: number, byPid: Map<number, Session>): number[] {
  const chain = [pid];
  let current = byPid.get(pid);
  while (current && current.blocked_by.length > 0) {
    const next = current.blocked_by[0] as number;
    if (chain.includes(next)) break;
    chain.push(next);
    current = byPid.get(next);
  }
  return chain;
}

function toIssue(root: number, chain: number[], blocked: Row[], session: Session | undefined): IssueDraft {
  const longest = Math.round(Math.max(...blocked.map((b) => b.seconds)));
  return {
    severity: "high",
    title: `Session ${root} blocks ${blocked.length} quer${blocked.length === 1 ? "y" : "ies"} (longest wait ${longest} s)`,
    description: "Queries wait for locks held by another session; the requests behind them hang until it commits, rolls back or is stopped.",
    subject: `root:${root}:${session?.xact_start ?? "unknown"}`,
    evidence: {
      rootPid: root,
      rootXactStart: session?.xact_start ?? null,
      rootState: session?.state ?? null,
      rootApplication: session?.application ?? null,
      rootQuery: session ? redactQuery(session.query) : null,
      // The root holds the locks: whether db.terminate_blocking_session can work, for the diagnosing role.
      ...(session ? signalEvidence(session, "mayTerminate") : { holderRole: null, holderSuperuser: null, holderReplication: null, mayTerminate: null }),
      chain,
      blocked: blocked.map((b) => ({ pid: b.pid, waitSeconds: Math.round(b.seconds), query: redactQuery(b.query) })),
    },
    recommendation: "Find why the root session holds its locks (a long transaction or one left open); keep transactions short and set lock_timeout for application queries.",
  };
}
