import type { Check, IssueDraft } from "../../catalogue";
import { sqlLiteral } from "../../fixes/quote";
import { readOnly } from "./shared";

/** A prepared transaction (PREPARE TRANSACTION, two-phase commit) outlives its session: it keeps
 * its locks and its xid holds back the xmin horizon (vacuum cannot remove rows deleted after it,
 * freezing cannot pass it) until someone runs COMMIT PREPARED or ROLLBACK PREPARED, even across
 * restarts. check_postgres `prepared_txns` warns at 1 s and goes critical at 30 s, which suits a
 * monitor polling a server where a coordinator finishes each one in milliseconds; a
 * troubleshooting run reports what is stuck, not what is in flight: medium after 5 minutes
 * (`mediumSeconds`), high after 1 hour (`highSeconds`) or when sessions already wait on its locks. */
const PREPARED_TRANSACTION_THRESHOLDS = { mediumSeconds: 300, highSeconds: 3600 };

interface Row {
  gid: string;
  owner: string;
  database: string;
  xid: string;
  xid_age: number;
  prepared: string;
  seconds: number;
  locks: { relation: string; mode: string }[] | null;
  locks_held: number;
  waiting: number;
}

export const dbPreparedTransactions: Check = {
  code: "db.prepared_transactions",
  domain: "database",
  title: "Forgotten prepared transactions",
  description: `Prepared transactions (pg_prepared_xacts) of this database older than ${PREPARED_TRANSACTION_THRESHOLDS.mediumSeconds / 60} min: medium; high after ${PREPARED_TRANSACTION_THRESHOLDS.highSeconds / 3600} h or when sessions wait on their locks.`,
  thresholds: PREPARED_TRANSACTION_THRESHOLDS,
  async run({ target, signal, thresholds }) {
    const t = { ...PREPARED_TRANSACTION_THRESHOLDS, ...thresholds };
    return readOnly(target, signal, async (client) => {
      // A prepared transaction's locks show in pg_locks with a NULL pid, under the virtual
      // transaction that holds the transactionid lock on its xid. Sessions blocked by it wait on
      // that xid (row locks) or on a relation it has locked.
      const result = await client
        .query<Row>(
          `WITH held AS (
             SELECT l.virtualtransaction, l.locktype, l.mode, l.database, l.relation, l.transactionid FROM pg_locks l WHERE l.pid IS NULL AND l.granted),
           p AS (
             SELECT p.*, (SELECT h.virtualtransaction FROM held h WHERE h.locktype = 'transactionid' AND h.transactionid = p.transaction LIMIT 1) AS vxid
               FROM pg_prepared_xacts p WHERE p.database = current_database())
           SELECT p.gid, p.owner::text AS owner, p.database::text AS database, p.transaction::text AS xid, age(p.transaction) AS xid_age,
                  to_char(p.prepared AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS prepared,
                  extract(epoch FROM now() - p.prepared)::float AS seconds,
                  (SELECT jsonb_agg(DISTINCT jsonb_build_object('relation', h.relation::regclass::text, 'mode', h.mode))
                     FROM held h WHERE h.virtualtransaction = p.vxid AND h.locktype = 'relation'
                      AND h.database = (SELECT oid FROM pg_database WHERE datname = current_database())) AS locks,
                  (SELECT count(*)::int FROM held h WHERE h.virtualtransaction = p.vxid) AS locks_held,
                  (SELECT count(*)::int FROM pg_locks w WHERE NOT w.granted AND w.pid IS NOT NULL
                      AND ((w.locktype = 'transactionid' AND w.transactionid = p.transaction)
                        OR (w.locktype = 'relation' AND EXISTS (SELECT 1 FROM held h WHERE h.virtualtransaction = p.vxid AND h.locktype = 'relation'
                                                                   AND h.database = w.database AND h.relation = w.relation)))) AS waiting
             FROM p WHERE p.prepared < now() - make_interval(secs => $1)
            ORDER BY p.prepared LIMIT 20`,
          [t.mediumSeconds],
        )
        .then(
          (r) => r.rows,
          (err: unknown) => err as { code?: string; message?: string },
        );
      if (!Array.isArray(result)) {
        if (result.code === "42501") return { status: "skipped", reason: `pg_prepared_xacts or pg_locks is not readable by this role: ${result.message ?? "permission denied"} (SQLSTATE 42501)` };
        throw result;
      }
      return result.length === 0 ? { status: "passed" } : { status: "issues", issues: result.map((row) => toIssue(row, t)) };
    });
  },
};

function toIssue(row: Row, t: typeof PREPARED_TRANSACTION_THRESHOLDS): IssueDraft {
  const seconds = Math.round(row.seconds);
  const age = seconds >= 3600 ? `${(seconds / 3600).toFixed(1)} h` : seconds >= 60 ? `${Math.round(seconds / 60)} min` : `${seconds} s`;
  const gid = sqlLiteral(row.gid);
  const locks = row.locks ?? [];
  return {
    severity: seconds >= t.highSeconds || row.waiting > 0 ? "high" : "medium",
    title: `Prepared transaction ${row.gid} has been waiting for COMMIT/ROLLBACK PREPARED for ${age}${row.waiting > 0 ? `, blocking ${row.waiting} session(s)` : ""}`,
    description:
      `Prepared by ${row.owner} at ${row.prepared}, transaction ${row.xid} survives restarts until it is committed or rolled back. ` +
      `It holds ${row.locks_held} lock(s)${locks.length > 0 ? ` (${locks.map((l) => `${l.mode} on ${l.relation}`).join(", ")})` : ""} and holds back the xmin horizon ` +
      `(xid age ${row.xid_age.toLocaleString("en-US")}): vacuum cannot remove rows deleted after it.`,
    subject: `prepared:${row.gid}:${row.prepared}`,
    evidence: {
      gid: row.gid,
      owner: row.owner,
      database: row.database,
      transaction: row.xid,
      xidAge: row.xid_age,
      prepared: row.prepared,
      ageSeconds: seconds,
      locks,
      locksHeld: row.locks_held,
      waitingSessions: row.waiting,
    },
    recommendation:
      `Find the coordinator that prepared it (the application's transaction manager or XA resource, as role ${row.owner}) and let it finish, or decide by hand, ` +
      `connected to database ${row.database} as ${row.owner} or a superuser: COMMIT PREPARED ${gid}; if the global transaction committed elsewhere, otherwise ROLLBACK PREPARED ${gid};`,
  };
}
