// Advice actions: exact steps for an admin, never applied, never reported as resolving anything.
// Every name the target controls is quoted for where it lands (SQL identifier or literal, shell
// word), and a shell command ends its line, so that copying the line runs only that command.
import { advice as adviceFor, str } from "../advice";
import type { IssueView } from "../../catalogue";
import { shellArgument, sqlIdentifier, sqlQualified } from "../quote";
import { rebuildCanSucceed } from "./reindex-concurrently";
import { privilegedStatement, refusalFor } from "./session-guard";

const advice = (code: string, addresses: string, title: string, steps: (issue: IssueView) => string | null) => adviceFor("database", code, [addresses], title, steps);

export const dbAdviseQueryStatistics = advice("db.advise_pg_stat_statements", "db.slow_queries", "Enable pg_stat_statements", (issue) =>
  issue.evidence.missingExtension
    ? issue.evidence.preloaded
      ? "Run in the database: CREATE EXTENSION pg_stat_statements;"
      : "1. Add pg_stat_statements to shared_preload_libraries (postgresql.conf or your provider's parameter group). 2. Restart PostgreSQL. 3. Run: CREATE EXTENSION pg_stat_statements;"
    : null,
);

/** One part of a name as format('%I') writes it: bare lowercase, or double-quoted with quotes doubled. */
const QUOTED_PART = String.raw`(?:[a-z_][a-z0-9_]*|"(?:[^"]|"")+")`;
const QUOTED_QUALIFIED = new RegExp(`^${QUOTED_PART}\\.${QUOTED_PART}$`);

/** oldestTable is `format('%I.%I')` of the catalogue, quoted by PostgreSQL. Stored evidence is
 * only text, so it goes into the statement only when it has that shape (one qualified name). */
export const dbAdviseWraparound = advice("db.advise_wraparound", "db.txid_wraparound", "Freeze old transaction ids", (issue) => {
  const oldest = str(issue.evidence.oldestTable);
  return [
    "1. Check nothing holds back the xmin horizon: long transactions (db.idle_in_transaction), prepared transactions (pg_prepared_xacts), stale replication slots (pg_replication_slots).",
    QUOTED_QUALIFIED.test(oldest)
      ? `2. In a quiet period run: VACUUM (FREEZE, VERBOSE) ${oldest}; then the next oldest tables.`
      : "2. In a quiet period run VACUUM (FREEZE, VERBOSE) on the tables with the oldest age(relfrozenxid).",
    "3. Watch age(datfrozenxid) go down.",
  ].join("\n");
});

export const dbAdviseSequence = advice("db.advise_widen_sequence", "db.sequence_exhaustion", "Widen the sequence to bigint", (issue) =>
  `In a migration: ALTER SEQUENCE ${sqlQualified(str(issue.evidence.schema), str(issue.evidence.sequence))} AS bigint; and ALTER TABLE ... ALTER COLUMN ... TYPE bigint for the column it feeds ` +
  `(declare it BigInt in the Prisma schema). On a large table the column change rewrites it: plan a maintenance window or a new column plus backfill.`,
);

interface LinkedIndex {
  schema: string;
  index: string;
  table: string;
  definition: string;
  unique: boolean;
  keyColumns: string[] | null;
  duplicateKeyGroups: number | null;
  duplicateRows: number | null;
  duplicatesNotCounted: string | null;
}

/** A query listing the key values held by more than one row, names quoted for SQL. */
function duplicatesQuery(index: Pick<LinkedIndex, "schema" | "table" | "keyColumns">): string {
  const keys = index.keyColumns?.map(sqlIdentifier).join(", ") ?? "<the index's key columns>";
  return `SELECT ${keys}, count(*) FROM ${sqlQualified(index.schema, index.table)} GROUP BY ${keys} HAVING count(*) > 1;`;
}

function removeDuplicatesStep(index: LinkedIndex): string {
  if (!index.unique) return `Nothing to clean up in ${sqlQualified(index.schema, index.table)}: ${sqlIdentifier(index.index)} is not unique.`;
  if (index.duplicateKeyGroups === 0) return `No duplicate keys remain in ${sqlQualified(index.schema, index.table)} (counted at diagnosis).`;
  const counted =
    index.duplicateKeyGroups === null
      ? `Duplicates were not counted (${index.duplicatesNotCounted ?? "unknown"}); find them`
      : `${index.duplicateKeyGroups} key value(s) are held by ${index.duplicateRows} rows`;
  return `Remove the duplicate rows the unique index forbids: ${counted} with ${duplicatesQuery(index)} Keep one row per key (merge what refers to the others), in the application's terms.`;
}

/** With an invalid index the migration left (its CREATE INDEX CONCURRENTLY failed), the order is
 * forced: while the invalid index exists, the redeployed migration fails with "relation …
 * already exists"; while duplicates remain, it fails again on them. */
export const dbAdviseFailedMigration = advice("db.advise_resolve_migration", "db.prisma_migrations_failed", "Resolve the failed Prisma migration", (issue) => {
  const migration = shellArgument(str(issue.evidence.migration));
  const indexes = Array.isArray(issue.evidence.invalidIndexes) ? (issue.evidence.invalidIndexes as LinkedIndex[]) : [];
  if (indexes.length > 0) {
    return [
      `1. ${indexes.map(removeDuplicatesStep).join(" ")}`,
      `2. Drop the invalid index the failed migration left: ${indexes.map((i) => `DROP INDEX CONCURRENTLY ${sqlQualified(i.schema, i.index)};`).join(" ")}`,
      `3. Mark the migration rolled back: npx prisma migrate resolve --rolled-back ${migration}`,
      "4. Redeploy: npx prisma migrate deploy",
      `   (it runs the migration again; with the invalid index still there it would fail with "relation … already exists").`,
    ].join("\n");
  }
  return [
    `1. Inspect what migration ${migration} changed (its migration.sql, and the database).`,
    `2a. If it did not apply, mark it rolled back, then fix the migration and redeploy: npx prisma migrate resolve --rolled-back ${migration}`,
    `2b. If you completed it by hand, mark it applied: npx prisma migrate resolve --applied ${migration}`,
  ].join("\n");
});

/** An invalid index whose rebuild cannot succeed yet (duplicates remain, or were not counted):
 * the steps instead of db.reindex_concurrently. */
export const dbAdviseInvalidIndex = advice("db.advise_invalid_index", "db.invalid_indexes", "Remove the duplicates, then rebuild the index", (issue) => {
  if (rebuildCanSucceed(issue)) return null;
  const e = issue.evidence;
  const index: LinkedIndex = {
    schema: str(e.schema),
    index: str(e.index),
    table: str(e.table),
    definition: str(e.definition),
    unique: e.unique === true,
    keyColumns: Array.isArray(e.keyColumns) ? e.keyColumns.map(str) : null,
    duplicateKeyGroups: typeof e.duplicateKeyGroups === "number" ? e.duplicateKeyGroups : null,
    duplicateRows: typeof e.duplicateRows === "number" ? e.duplicateRows : null,
    duplicatesNotCounted: typeof e.duplicatesNotCounted === "string" ? e.duplicatesNotCounted : null,
  };
  return (
    `1. ${removeDuplicatesStep(index)} ` +
    `2. Rebuild it: REINDEX INDEX CONCURRENTLY ${sqlQualified(index.schema, index.index)}; (the next run offers this as a fix once no duplicates remain), ` +
    `or drop it if it is not wanted: DROP INDEX CONCURRENTLY ${sqlQualified(index.schema, index.index)};`
  );
});

/** A session this role may not (or Troubleshooter will not) signal: why, and what a person with
 * the right would run, guarded to the same query or transaction. */
export const dbAdviseSignalSession = adviceFor(
  "database",
  "db.advise_signal_session",
  ["db.long_running_query", "db.idle_in_transaction", "db.blocked_queries"],
  "Ask someone with the right to end the session",
  (issue) => {
    const cancel = issue.code === "db.long_running_query";
    const refusal = refusalFor(issue, cancel ? "mayCancel" : "mayTerminate");
    if (refusal === null) return null;
    const pid = Number(cancel || issue.code === "db.idle_in_transaction" ? issue.evidence.pid : issue.evidence.rootPid);
    const since = cancel ? issue.evidence.queryStart : issue.code === "db.idle_in_transaction" ? issue.evidence.xactStart : issue.evidence.rootXactStart;
    if (!Number.isInteger(pid) || typeof since !== "string") return `Troubleshooter cannot end this session: ${refusal}.`;
    const statement = privilegedStatement(cancel ? "pg_cancel_backend" : "pg_terminate_backend", pid, cancel ? "query_start" : "xact_start", since);
    const who = issue.evidence.holderSuperuser === true ? "a superuser (after checking with whoever runs it)" : `a member of ${str(issue.evidence.holderRole)} or of pg_signal_backend`;
    return `Troubleshooter will not ${cancel ? "cancel the query" : "terminate the session"}: ${refusal}. If it must end, ${who} can run: ${statement}`;
  },
);

export const dbAdviseDrift = advice("db.advise_migration_drift", "db.prisma_migrations_drift", "Bring migrations and database together", (issue) =>
  issue.subject === "pending"
    ? "Run npx prisma migrate deploy (or npm run db:migrate) against this database from the current code."
    : "Recover the missing migration folders (git history of the branch that deployed them) into prisma/migrations; do not edit _prisma_migrations by hand.",
);
