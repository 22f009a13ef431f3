import type { Check } from "../../catalogue";
import { OWN_SESSIONS_SQL } from "../../probes/database";
import { connectionLimits } from "../../probes/database-facts";
import { readOnly } from "./shared";

/** check_postgres's defaults, on the slots left after reserved connections. */
export const CONNECTION_THRESHOLDS = { medium: 0.8, critical: 0.95 };

export const dbConnectionsNearLimit: Check = {
  code: "db.connections_near_limit",
  domain: "database",
  title: "Connections near the limit",
  description: `Client connections vs max_connections minus reserved slots: medium at ${CONNECTION_THRESHOLDS.medium * 100} %, critical at ${CONNECTION_THRESHOLDS.critical * 100} %.`,
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
      const inUse = breakdown.rows.reduce((sum, row) => sum + row.count, 0);
      const ratio = inUse / usable;
      const evidence = {
        inUse, maxConnections: max, reserved, usable, utilization: Math.round(ratio * 1000) / 1000,
        mediumThreshold: t.medium, appRole: role, breakdown: breakdown.rows.slice(0, 20),
      };
      if (ratio < t.medium) return { status: "passed", evidence };
      return {
        status: "issues",
        issues: [
          {
            severity: ratio >= t.critical ? "critical" : "medium",
            title: `${inUse} of ${usable} database connections in use (${Math.round(ratio * 100)} %)`,
            description: "When the limit is reached new connections are refused and requests fail with \"too many clients\".",
            subject: "connections",
            evidence,
            recommendation: "Put a connection pooler (PgBouncer, Prisma Accelerate) in front, lower each app instance's pool size, or close idle sessions.",
          },
        ],
      };
    });
  },
};
