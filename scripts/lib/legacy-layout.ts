// Standalone installs made before the add-on moved into schema "troubleshooter" (issue 17) have
// its tables in public, recorded in public._prisma_migrations. They are left alone (they may hold
// history someone wants); this says so once per start, with what to drop when they are not needed.
import pg from "pg";

/** The add-on's migrations before its own schema: the first of them marks an old install. */
const FIRST_OLD_MIGRATION = "20261124092029_init";
const OLD_TABLES = ["TroubleshootingRun", "RunEvent", "Issue", "FixAction", "MetricSample", "AuditLog", "HistoryDaily", "LogEntry", "TrackedError", "Alert", "login_rate_limits", "Session", "Account", "VerificationToken", "User"];

/** A one-line notice when `databaseUrl` still has the old layout in public, else null. */
export async function legacyLayoutNotice(databaseUrl: string): Promise<string | null> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ old: boolean }>(
      `SELECT to_regclass('public."TroubleshootingRun"') IS NOT NULL AND to_regclass('public._prisma_migrations') IS NOT NULL
         AND EXISTS (SELECT 1 FROM public._prisma_migrations WHERE migration_name = $1) AS old`,
      [FIRST_OLD_MIGRATION],
    ).catch(() => ({ rows: [{ old: false }] }));
    if (!rows[0]?.old) return null;
    const tables = OLD_TABLES.map((t) => `public."${t}"`).join(", ");
    return `this database still has the add-on's tables from before version 0.2 in schema public (the add-on now uses schema troubleshooter, and started empty there); when their history is not needed: DROP TABLE IF EXISTS ${tables} CASCADE; and delete the add-on's rows from public._prisma_migrations`;
  } finally {
    await client.end();
  }
}
