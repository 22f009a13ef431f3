import type { Check } from "../../catalogue";
import { FIX_APPLICATION_NAME, OWN_SESSIONS_SQL, PROBE_APPLICATION_NAME } from "../../probes/database";
import { connectionLimits } from "../../probes/database-facts";
import { monitoringGrant, readOnly } from "./shared";

/** Who holds the slots: sessions per role and application_name, by state. */
interface Holder {
  role: string;
  application: string;
  count: number;
  idle: number;
  active: number;
  idleInTransaction: number;
  /** Other roles' sessions whose state this role cannot see (no pg_read_all_stats). */
  hidden: number;
}

/** Client sessions as pg_stat_activity shows them to this role: its own and (with
 * pg_read_all_stats) everyone's as 'client backend'; other roles' without it as rows whose
 * backend_type and state read NULL but whose role, database and application_name still show.
 * Those hold slots too, so they are counted, as "hidden". Our own probe and fix sessions are not. */
const HOLDERS_SQL = `
  SELECT coalesce(a.usename, '(unknown)') AS role,
         coalesce(nullif(a.application_name, ''), '(none)') AS application,
         count(*)::int AS count,
         count(*) FILTER (WHERE a.state = 'idle')::int AS idle,
         count(*) FILTER (WHERE a.state = 'active')::int AS active,
         count(*) FILTER (WHERE a.state LIKE 'idle in transaction%')::int AS "idleInTransaction",
         count(*) FILTER (WHERE a.backend_type IS NULL)::int AS hidden
    FROM pg_stat_activity a
   WHERE (a.backend_type = 'client backend' OR (a.backend_type IS NULL AND a.datid IS NOT NULL AND a.usesysid IS NOT NULL))
     AND a.pid <> pg_backend_pid()
     AND coalesce(a.application_name, '') NOT IN ('${PROBE_APPLICATION_NAME}', '${FIX_APPLICATION_NAME}')
   GROUP BY 1, 2
   ORDER BY 3 DESC, 1, 2`;

/** check_postgres's defaults, on the slots left after reserved connections. */
const CONNECTION_THRESHOLDS = { medium: 0.8, critical: 0.95 };

export const dbConnectionsNearLimit: Check = {
  code: "db.connections_near_limit",
  domain: "database",
  title: "Connections near the limit",
  description:
    `Client connections vs max_connections minus reserved slots: medium at ${CONNECTION_THRESHOLDS.medium * 100} %, critical at ${CONNECTION_THRESHOLDS.critical * 100} %. ` +
    "Evidence lists who holds them by role and application_name (idle / active / idle in transaction); other roles' sessions a role without pg_read_all_stats cannot see into are counted as hidden, and the note names the grant.",
  thresholds: CONNECTION_THRESHOLDS,
  async run({ target, signal, thresholds }) {
    const t = { ...CONNECTION_THRESHOLDS, ...thresholds };
    return readOnly(target, signal, async (client) => {
      const { max, reserved, usable, role } = await connectionLimits(client);
      const breakdown = await client.query<{ state: string; application: string; count: number }>(
        `SELECT coalesce(a.state, 'unknown') AS state, coalesce(nullif(a.application_name, ''), '(none)') AS application, count(*)::int AS count
           FROM pg_stat_activity a WHERE ${OWN_SESSIONS_SQL}
          GROUP BY 1, 2 ORDER BY 3 DESC`,
      );
      const holders = (await client.query<Holder>(HOLDERS_SQL)).rows;
      // Per-role and per-database CONNECTION LIMITs (-1: none) refuse with the same 53300.
      const own = await client.query<{ role_limit: number; role_in_use: number; database_limit: number; database_in_use: number }>(
        `SELECT (SELECT rolconnlimit FROM pg_roles WHERE rolname = current_user) AS role_limit,
                (SELECT datconnlimit FROM pg_database WHERE datname = current_database()) AS database_limit,
                (SELECT count(*)::int FROM pg_stat_activity WHERE usename = current_user AND backend_type = 'client backend') AS role_in_use,
                (SELECT count(*)::int FROM pg_stat_activity WHERE datname = current_database() AND (backend_type = 'client backend' OR (backend_type IS NULL AND usesysid IS NOT NULL))) AS database_in_use`,
      );
      const limits = own.rows[0];
      const hiddenSessions = holders.reduce((sum, row) => sum + row.hidden, 0);
      const inUse = holders.reduce((sum, row) => sum + row.count, 0);
      const ratio = inUse / usable;
      const evidence = {
        inUse, maxConnections: max, reserved, usable, utilization: Math.round(ratio * 1000) / 1000,
        mediumThreshold: t.medium, appRole: role, breakdown: breakdown.rows.slice(0, 20),
        holders: holders.slice(0, 20), hiddenSessions,
        roleConnectionLimit: limits?.role_limit ?? -1, roleInUse: limits?.role_in_use ?? 0,
        databaseConnectionLimit: limits?.database_limit ?? -1, databaseInUse: limits?.database_in_use ?? 0,
      };
      // Hidden sessions are counted (they hold slots) but their state is unknown: say so.
      const note = hiddenSessions > 0
        ? `${hiddenSessions} session(s) of other roles are counted but their state (idle, active, idle in transaction) is hidden from ${role}; ${monitoringGrant(role)}`
        : undefined;
      if (ratio < t.medium) return { status: "passed", evidence, ...(note ? { note } : {}) };
      return {
        status: "issues",
        issues: [
          {
            severity: ratio >= t.critical ? "critical" : "medium",
            title: `${inUse} of ${usable} database connections in use (${Math.round(ratio * 100)} %)`,
            description: `When the limit is reached new connections are refused (SQLSTATE 53300) and requests fail with "too many clients".${topHolder(holders)}`,
            subject: "connections",
            evidence,
            recommendation: recommendation(holders),
          },
        ],
        ...(note ? { note } : {}),
      };
    });
  },
};

/** " Most are held by role app_user, application leaky-pool: 14 (14 idle)." */
function topHolder(holders: Holder[]): string {
  const top = holders[0];
  if (!top) return "";
  const states = [
    top.idle ? `${top.idle} idle` : "",
    top.active ? `${top.active} active` : "",
    top.idleInTransaction ? `${top.idleInTransaction} idle in transaction` : "",
    top.hidden ? `${top.hidden} hidden` : "",
  ].filter(Boolean);
  return ` The largest holder is role ${top.role}, application ${top.application}: ${top.count}${states.length ? ` (${states.join(", ")})` : ""}.`;
}

function recommendation(holders: Holder[]): string {
  const idle = holders.reduce((sum, row) => sum + row.idle, 0);
  return (
    "Put a connection pooler (PgBouncer in transaction mode, Prisma Accelerate, Supabase's Supavisor) in front, cap each app instance's pool (Prisma's connection_limit URL parameter), " +
    `or close idle sessions${idle > 0 ? ` (${idle} idle now; idle_session_timeout closes them server-side)` : ""}. The holders list shows which role and application_name took them.`
  );
}
