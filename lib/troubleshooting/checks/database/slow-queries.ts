import type pg from "pg";
import { describeDbError } from "../../../health/pg-errors";
import type { Check, CheckOutcome, IssueDraft } from "../../catalogue";
import { sqlIdentifier, sqlQualified } from "../../fixes/quote";
import { redactQuery } from "../../probes/database";
import { monitoringGrant, readOnly, statsVisibility, withServerReason } from "./shared";

/** PgHero's slow-query default: mean over 100 ms with at least 100 calls. */
const SLOW_QUERY_THRESHOLDS = { meanMs: 100, minCalls: 100, highMeanMs: 1_000 };

interface Row {
  queryid: string;
  query: string;
  calls: string;
  mean_ms: number;
  total_ms: number;
}

/** Other roles' statements whose text and queryid this role cannot see, by role. */
interface HiddenRow {
  role: string;
  statements: number;
  calls: string;
  worst_mean_ms: number;
  total_ms: number;
}

export const dbSlowQueries: Check = {
  code: "db.slow_queries",
  domain: "database",
  title: "Slow queries",
  description: `From pg_stat_statements: mean over ${SLOW_QUERY_THRESHOLDS.meanMs} ms with ${SLOW_QUERY_THRESHOLDS.minCalls}+ calls (medium; high over ${SLOW_QUERY_THRESHOLDS.highMeanMs} ms). Without the extension: a low issue saying how to enable it. Other roles' statements whose text the role cannot read (no pg_read_all_stats) are still judged by their timings and reported by role, with the grant that would show them.`,
  thresholds: SLOW_QUERY_THRESHOLDS,
  async run({ target, signal, thresholds }) {
    const t = { ...SLOW_QUERY_THRESHOLDS, ...thresholds };
    return readOnly(target, signal, async (client): Promise<CheckOutcome> => {
      // pg_extension is readable by every role; shared_preload_libraries is not (42501 without
      // pg_read_all_settings), so preloading is learned by querying the view instead.
      const ext = await client.query<{ schema: string }>(
        `SELECT n.nspname AS schema FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace WHERE e.extname = 'pg_stat_statements'`,
      );
      const schema = ext.rows[0]?.schema;
      if (schema === undefined) return missingExtension(await preloadedSetting(client));
      // Qualified: managed services install it outside the search_path (Supabase: "extensions").
      const view = sqlQualified(schema, "pg_stat_statements");
      const { role, readsAllStats } = await statsVisibility(client);
      let rows: Row[];
      let hidden: HiddenRow[];
      try {
        rows = (
          await client.query<Row>(
            `SELECT s.queryid::text, min(s.query) AS query, sum(s.calls)::text AS calls,
                    sum(s.total_exec_time) / nullif(sum(s.calls), 0) AS mean_ms, sum(s.total_exec_time) AS total_ms
               FROM ${view} s JOIN pg_database d ON d.oid = s.dbid
              WHERE d.datname = current_database() AND s.queryid IS NOT NULL
                AND s.query !~* '(pg_stat_|pg_catalog|pg_class|pg_settings|pg_locks)'
              GROUP BY s.queryid
             HAVING sum(s.calls) >= $1 AND sum(s.total_exec_time) / nullif(sum(s.calls), 0) >= $2
              ORDER BY total_ms DESC LIMIT 10`,
            [t.minCalls, t.meanMs],
          )
        ).rows;
        // Without pg_read_all_stats other roles' rows keep their timings but read queryid NULL
        // and query '<insufficient privilege>': judge each row on its own, grouped by role.
        hidden = readsAllStats
          ? []
          : (
              await client.query<HiddenRow>(
                `SELECT coalesce(r.rolname, s.userid::text) AS role, count(*)::int AS statements, sum(s.calls)::text AS calls,
                        max(s.total_exec_time / nullif(s.calls, 0)) AS worst_mean_ms, sum(s.total_exec_time) AS total_ms
                   FROM ${view} s JOIN pg_database d ON d.oid = s.dbid LEFT JOIN pg_roles r ON r.oid = s.userid
                  WHERE d.datname = current_database() AND s.queryid IS NULL AND s.calls >= $1 AND s.total_exec_time / nullif(s.calls, 0) >= $2
                  GROUP BY 1 ORDER BY total_ms DESC`,
                [t.minCalls, t.meanMs],
              )
            ).rows;
      } catch (err) {
        const unusable = unusableView(err, role);
        if (unusable) return unusable;
        throw err;
      }
      const unseen = readsAllStats ? 0 : await hiddenStatementCount(client, view);
      const note = unseen > 0
        ? `${unseen} statement(s) of other roles in this database have their text hidden from ${role} (they were judged by their timings only); to read them: ${monitoringGrant(role)}`
        : undefined;
      const issues: IssueDraft[] = rows.map((row) => ({
        severity: row.mean_ms >= t.highMeanMs ? ("high" as const) : ("medium" as const),
        title: `Query averaging ${Math.round(row.mean_ms)} ms over ${row.calls} calls`,
        description: `This query has spent ${Math.round(row.total_ms / 1000)} s in total; pages that run it wait ${Math.round(row.mean_ms)} ms each time.`,
        subject: `queryid:${row.queryid}`,
        evidence: { queryId: row.queryid, query: redactQuery(row.query), calls: Number(row.calls), meanMs: Math.round(row.mean_ms * 10) / 10, totalMs: Math.round(row.total_ms) },
        recommendation: "EXPLAIN (ANALYZE, BUFFERS) it: look for sequential scans on big tables (see db.missing_index), N+1 loops in the app, or missing LIMITs.",
      }));
      for (const h of hidden) {
        issues.push({
          severity: h.worst_mean_ms >= t.highMeanMs ? "high" : "medium",
          title: `${h.statements} slow statement(s) of role ${h.role} (text hidden from ${role})`,
          description: `Statements run by ${h.role} average up to ${Math.round(h.worst_mean_ms)} ms over ${h.calls} calls (${Math.round(h.total_ms / 1000)} s in total); their text and queryid are hidden from ${role}, so they cannot be named.`,
          subject: `hidden-statements:${h.role}`,
          evidence: { role: h.role, statements: h.statements, calls: Number(h.calls), worstMeanMs: Math.round(h.worst_mean_ms * 10) / 10, totalMs: Math.round(h.total_ms), textHidden: true, viewedAs: role },
          recommendation: `Let the diagnostic role read other roles' statements: ${monitoringGrant(role)} Then run the check again to see the queries (or read pg_stat_statements as ${h.role} or a superuser).`,
        });
      }
      if (issues.length === 0) return { status: "passed", ...(note ? { note } : {}) };
      return { status: "issues", issues, ...(note ? { note } : {}) };
    });
  },
};

/** shared_preload_libraries when this role may read it (superuser, pg_read_all_settings);
 * null when it cannot tell: pg_settings then omits the row rather than erroring. */
async function preloadedSetting(client: pg.ClientBase): Promise<boolean | null> {
  const { rows } = await client.query<{ setting: string }>(`SELECT setting FROM pg_settings WHERE name = 'shared_preload_libraries'`);
  const setting = rows[0]?.setting;
  return setting === undefined ? null : /(^|[\s,])"?pg_stat_statements"?($|[\s,])/.test(setting);
}

async function hiddenStatementCount(client: pg.ClientBase, view: string): Promise<number> {
  const { rows } = await client.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM ${view} s JOIN pg_database d ON d.oid = s.dbid WHERE d.datname = current_database() AND s.queryid IS NULL`,
  );
  return rows[0]?.n ?? 0;
}

/** The view exists but cannot be read: the server's SQLSTATE decides what to tell. */
function unusableView(err: unknown, role: string): CheckOutcome | null {
  const error = describeDbError(err);
  const reason = withServerReason(error);
  switch (error.sqlstate) {
    case "55000": // "pg_stat_statements must be loaded via shared_preload_libraries"
      return missingExtension(false, true);
    case "42501":
      return {
        status: "skipped",
        reason: `${role} may not read pg_stat_statements (${reason}); as its owner: GRANT SELECT ON pg_stat_statements TO ${sqlIdentifier(role)}; or ${monitoringGrant(role)}`,
      };
    case "42P01":
    case "42883":
      return { status: "skipped", reason: `pg_stat_statements is listed as installed but its view or function is missing (${reason}); run ALTER EXTENSION pg_stat_statements UPDATE; or recreate it.` };
    default:
      return null;
  }
}

/** `preloaded` null: this role cannot read shared_preload_libraries (pg_read_all_settings). */
function missingExtension(preloaded: boolean | null, installed = false): CheckOutcome {
  const steps =
    preloaded === true
      ? "Run CREATE EXTENSION pg_stat_statements; in the database (it is already preloaded)."
      : preloaded === null
        ? "Run CREATE EXTENSION pg_stat_statements; in the database. If queries on it then fail with \"must be loaded via shared_preload_libraries\", add it there too (on managed services: the parameter group or dashboard) and restart PostgreSQL. (This role cannot read shared_preload_libraries to tell which.)"
        : "Add pg_stat_statements to shared_preload_libraries (on managed services: the parameter group or dashboard), restart PostgreSQL, then run CREATE EXTENSION pg_stat_statements;.";
  return {
    status: "issues",
    issues: [
      {
        severity: "low",
        title: "pg_stat_statements is not enabled: slow queries cannot be found",
        description: "Without query statistics the database bot cannot name the queries behind slow pages.",
        subject: "pg_stat_statements",
        evidence: { missingExtension: true, preloaded, installed },
        recommendation: steps,
      },
    ],
  };
}
