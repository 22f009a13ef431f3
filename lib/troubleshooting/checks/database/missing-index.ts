import type pg from "pg";
import type { Check, IssueDraft } from "../../catalogue";
import { sqlIdentifier, sqlQualified } from "../../fixes/quote";
import { readOnly, notOwnSchemaSql } from "./shared";

/** PgHero judges tables of 10,000+ rows where under 95 % of scans use an index. We also want the
 * sequential scans to have read the table many times over. */
const MISSING_INDEX_THRESHOLDS = { minRows: 10_000, maxIndexShare: 0.95, minTimesRead: 10 };

interface Row {
  schema: string;
  table: string;
  rows: string;
  seq_scan: string;
  seq_tup_read: string;
  idx_scan: string;
}

export const dbMissingIndex: Check = {
  code: "db.missing_index",
  domain: "database",
  title: "Missing index",
  description: `Tables of ${MISSING_INDEX_THRESHOLDS.minRows}+ rows read by sequential scans ${MISSING_INDEX_THRESHOLDS.minTimesRead}+ times over, with under ${MISSING_INDEX_THRESHOLDS.maxIndexShare * 100} % index scans; the column to index comes from pg_stat_statements when available (medium).`,
  thresholds: MISSING_INDEX_THRESHOLDS,
  async run({ target, signal, thresholds }) {
    const t = { ...MISSING_INDEX_THRESHOLDS, ...thresholds };
    return readOnly(target, signal, async (client) => {
      const { rows } = await client.query<Row>(
        `SELECT schemaname AS schema, relname AS "table", n_live_tup::text AS rows, seq_scan::text, seq_tup_read::text, coalesce(idx_scan, 0)::text AS idx_scan
           FROM pg_stat_user_tables
          WHERE n_live_tup >= $1::bigint AND seq_scan > 0 AND ${notOwnSchemaSql("schemaname")} AND seq_tup_read >= n_live_tup * $3::float8
            AND coalesce(idx_scan, 0)::float8 / nullif(seq_scan + coalesce(idx_scan, 0), 0) < $2::float8
          ORDER BY seq_tup_read DESC LIMIT 10`,
        [t.minRows, t.maxIndexShare, t.minTimesRead],
      );
      const issues: IssueDraft[] = [];
      for (const row of rows) {
        const suggestion = await suggestColumns(client, row.schema, row.table);
        if (suggestion?.indexed) continue; // the scanned column has an index now
        issues.push(toIssue(row, suggestion));
      }
      return issues.length === 0 ? { status: "passed" } : { status: "issues", issues };
    });
  },
};

/** The unindexed column most often filtered by equality in this table's recorded queries, if
 * any; `indexed` when the only such columns already have an index (the fix was applied). Reads
 * both plain SQL (`FROM orders WHERE customer_id = $1`) and Prisma's
 * (`FROM "public"."Order" WHERE ("public"."Order"."customerId" = $1`). */
async function suggestColumns(client: pg.ClientBase, schema: string, table: string): Promise<{ column: string; query: string; indexed: boolean } | null> {
  const usable = await client.query<{ ok: boolean }>(
    `SELECT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'pg_stat_statements')
            AND current_setting('shared_preload_libraries') ~ 'pg_stat_statements' AS ok`,
  );
  if (!usable.rows[0]?.ok) return null;
  const { rows } = await client.query<{ column: string; query: string; indexed: boolean }>(
    `WITH candidates AS (
       SELECT (regexp_match(s.query,
                 '\\mfrom\\s+(?:"?' || $3::text || '"?\\.)?"?' || $4::text || '"?\\s+(?:as\\s+\\w+\\s+)?where\\s+\\(?\\s*(?:"?\\w+"?\\.)*"?(\\w+)"?\\s*=',
                 'i'))[1] AS col,
              s.query, s.calls
         FROM pg_stat_statements s JOIN pg_database d ON d.oid = s.dbid WHERE d.datname = current_database()),
     columns AS (
       SELECT a.attname::text AS col, min(c.query) AS query, sum(c.calls) AS calls,
              EXISTS (SELECT 1 FROM pg_index x WHERE x.indrelid = a.attrelid AND x.indkey[0] = a.attnum AND x.indisvalid) AS indexed
         FROM candidates c JOIN pg_attribute a ON a.attrelid = format('%I.%I', $1::text, $2::text)::regclass
          AND a.attnum > 0 AND NOT a.attisdropped AND (a.attname = c.col OR a.attname = lower(c.col))
        GROUP BY a.attrelid, a.attnum, a.attname)
     SELECT col AS "column", query, indexed FROM columns ORDER BY indexed, calls DESC LIMIT 1`,
    [schema, table, escapeRegex(schema), escapeRegex(table)],
  );
  return rows[0] ?? null;
}

const escapeRegex = (name: string) => name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

function toIssue(row: Row, suggestion: { column: string; query: string } | null): IssueDraft {
  return {
    severity: "medium",
    title: `${row.schema}.${row.table} is read by sequential scans (${row.seq_scan} of them)`,
    description: `Sequential scans have read ${row.seq_tup_read} rows of this ${row.rows}-row table; each one reads the whole table.`,
    subject: `${row.schema}.${row.table}`,
    evidence: {
      schema: row.schema,
      table: row.table,
      rows: Number(row.rows),
      seqScans: Number(row.seq_scan),
      seqRowsRead: Number(row.seq_tup_read),
      indexScans: Number(row.idx_scan),
      columns: suggestion ? [suggestion.column] : [],
      exampleQuery: suggestion?.query.slice(0, 300) ?? null,
    },
    recommendation: suggestion
      ? `Index the filtered column: CREATE INDEX CONCURRENTLY ON ${sqlQualified(row.schema, row.table)} (${sqlIdentifier(suggestion.column)}); (and declare @@index([${suggestion.column}]) in the Prisma schema).`
      : "Enable pg_stat_statements to see which column the scans filter on, then index it.",
  };
}
