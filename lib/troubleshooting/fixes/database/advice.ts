// Advice actions: exact steps for an admin, never applied, never reported as resolving anything.
import { advice as adviceFor, str } from "../advice";
import type { IssueView } from "../../catalogue";

const advice = (code: string, addresses: string, title: string, steps: (issue: IssueView) => string | null) => adviceFor("database", code, [addresses], title, steps);

export const dbAdviseQueryStatistics = advice("db.advise_pg_stat_statements", "db.slow_queries", "Enable pg_stat_statements", (issue) =>
  issue.evidence.missingExtension
    ? issue.evidence.preloaded
      ? "Run in the database: CREATE EXTENSION pg_stat_statements;"
      : "1. Add pg_stat_statements to shared_preload_libraries (postgresql.conf or your provider's parameter group). 2. Restart PostgreSQL. 3. Run: CREATE EXTENSION pg_stat_statements;"
    : null,
);

export const dbAdviseWraparound = advice("db.advise_wraparound", "db.txid_wraparound", "Freeze old transaction ids", (issue) =>
  `1. Check nothing holds back the xmin horizon: long transactions (db.idle_in_transaction), prepared transactions (pg_prepared_xacts), stale replication slots (pg_replication_slots). ` +
  `2. In a quiet period run: VACUUM (FREEZE, VERBOSE) ${str(issue.evidence.oldestTable)}; then the next oldest tables. 3. Watch age(datfrozenxid) go down.`,
);

export const dbAdviseSequence = advice("db.advise_widen_sequence", "db.sequence_exhaustion", "Widen the sequence to bigint", (issue) =>
  `In a migration: ALTER SEQUENCE "${str(issue.evidence.schema)}"."${str(issue.evidence.sequence)}" AS bigint; and ALTER TABLE ... ALTER COLUMN ... TYPE bigint for the column it feeds ` +
  `(declare it BigInt in the Prisma schema). On a large table the column change rewrites it: plan a maintenance window or a new column plus backfill.`,
);

export const dbAdviseFailedMigration = advice("db.advise_resolve_migration", "db.prisma_migrations_failed", "Resolve the failed Prisma migration", (issue) =>
  `1. Inspect what ${str(issue.evidence.migration)} changed (its migration.sql, and the database). ` +
  `2a. If it did not apply: npx prisma migrate resolve --rolled-back "${str(issue.evidence.migration)}", fix the migration, redeploy. ` +
  `2b. If you completed it by hand: npx prisma migrate resolve --applied "${str(issue.evidence.migration)}".`,
);

export const dbAdviseDrift = advice("db.advise_migration_drift", "db.prisma_migrations_drift", "Bring migrations and database together", (issue) =>
  issue.subject === "pending"
    ? "Run npx prisma migrate deploy (or npm run db:migrate) against this database from the current code."
    : "Recover the missing migration folders (git history of the branch that deployed them) into prisma/migrations; do not edit _prisma_migrations by hand.",
);
