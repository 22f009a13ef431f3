import type { Check, CheckOutcome } from "../../catalogue";
import { redactQuery } from "../../probes/database";
import { readOnly } from "./shared";

/** PgHero's slow-query default: mean over 100 ms with at least 100 calls. */
export const SLOW_QUERY_THRESHOLDS = { meanMs: 100, minCalls: 100, highMeanMs: 1_000 };

interface Row {
  queryid: string;
  query: string;
  calls: string;
  mean_ms: number;
  total_ms: number;
}

export const dbSlowQueries: Check = {
  code: "db.slow_queries",
  domain: "database",
  title: "Slow queries",
  description: `From pg_stat_statements: mean over ${SLOW_QUERY_THRESHOLDS.meanMs} ms with ${SLOW_QUERY_THRESHOLDS.minCalls}+ calls (medium; high over ${SLOW_QUERY_THRESHOLDS.highMeanMs} ms). Without the extension: a low issue saying how to enable it.`,
  thresholds: SLOW_QUERY_THRESHOLDS,
  async run({ target, signal, thresholds }) {
    const t = { ...SLOW_QUERY_THRESHOLDS, ...thresholds };
    return readOnly(target, signal, async (client): Promise<CheckOutcome> => {
      const ext = await client.query<{ installed: boolean; preloaded: boolean }>(
        `SELECT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'pg_stat_statements') AS installed,
                current_setting('shared_preload_libraries') ~ 'pg_stat_statements' AS preloaded`,
      );
      const { installed = false, preloaded = false } = ext.rows[0] ?? {};
      if (!installed || !preloaded) return missingExtension(preloaded);
      const { rows } = await client.query<Row>(
        `SELECT s.queryid::text, min(s.query) AS query, sum(s.calls)::text AS calls,
                sum(s.total_exec_time) / nullif(sum(s.calls), 0) AS mean_ms, sum(s.total_exec_time) AS total_ms
           FROM pg_stat_statements s JOIN pg_database d ON d.oid = s.dbid
          WHERE d.datname = current_database() AND s.query !~* '(pg_stat_|pg_catalog|pg_class|pg_settings|pg_locks)'
          GROUP BY s.queryid
         HAVING sum(s.calls) >= $1 AND sum(s.total_exec_time) / nullif(sum(s.calls), 0) >= $2
          ORDER BY total_ms DESC LIMIT 10`,
        [t.minCalls, t.meanMs],
      );
      if (rows.length === 0) return { status: "passed" };
      return {
        status: "issues",
        issues: rows.map((row) => ({
          severity: row.mean_ms >= t.highMeanMs ? ("high" as const) : ("medium" as const),
          title: `Query averaging ${Math.round(row.mean_ms)} ms over ${row.calls} calls`,
          description: `This query has spent ${Math.round(row.total_ms / 1000)} s in total; pages that run it wait ${Math.round(row.mean_ms)} ms each time.`,
          subject: `queryid:${row.queryid}`,
          evidence: { queryId: row.queryid, query: redactQuery(row.query), calls: Number(row.calls), meanMs: Math.round(row.mean_ms * 10) / 10, totalMs: Math.round(row.total_ms) },
          recommendation: "EXPLAIN (ANALYZE, BUFFERS) it: look for sequential scans on big tables (see db.missing_index), N+1 loops in the app, or missing LIMITs.",
        })),
      };
    });
  },
};

function missingExtension(preloaded: boolean): CheckOutcome {
  const steps = preloaded
    ? "Run CREATE EXTENSION pg_stat_statements; in the database (it is already preloaded)."
    : "Add pg_stat_statements to shared_preload_libraries (on managed services: the parameter group or dashboard), restart PostgreSQL, then run CREATE EXTENSION pg_stat_statements;.";
  return {
    status: "issues",
    issues: [
      {
        severity: "low",
        title: "pg_stat_statements is not enabled: slow queries cannot be found",
        description: "Without query statistics the database bot cannot name the queries behind slow pages.",
        subject: "pg_stat_statements",
        evidence: { missingExtension: true, preloaded },
        recommendation: steps,
      },
    ],
  };
}
