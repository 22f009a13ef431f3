import type { Check } from "../../catalogue";
import { readOnly } from "./shared";

interface Row {
  name: string;
  started_at: Date;
  finished: boolean;
  logs: string | null;
}

/** Prisma refuses to migrate while a migration is recorded as started but not finished. */
export const dbPrismaMigrationsFailed: Check = {
  code: "db.prisma_migrations_failed",
  domain: "database",
  title: "Failed Prisma migrations",
  description: "Rows of _prisma_migrations that started over 10 minutes ago and never finished, or logged an error, and were not rolled back (critical: the next deploy will refuse to migrate).",
  async run({ target, signal }) {
    return readOnly(target, signal, async (client) => {
      const table = await client.query<{ name: string | null }>("SELECT to_regclass('_prisma_migrations')::text AS name");
      if (!table.rows[0]?.name) return { status: "skipped", reason: "no _prisma_migrations table: this database is not migrated with Prisma Migrate" };
      const { rows } = await client.query<Row>(
        `SELECT migration_name AS name, started_at, finished_at IS NOT NULL AS finished, logs
           FROM _prisma_migrations WHERE rolled_back_at IS NULL
            AND ((finished_at IS NULL AND started_at < now() - interval '10 minutes') OR logs IS NOT NULL)
          ORDER BY started_at`,
      );
      if (rows.length === 0) return { status: "passed" };
      return {
        status: "issues",
        issues: rows.map((row) => ({
          severity: "critical" as const,
          title: `Prisma migration ${row.name} ${row.finished ? "logged an error" : "never finished"}`,
          description: "Prisma Migrate will not apply further migrations until this one is resolved; the next deploy's migrate step fails.",
          subject: row.name,
          evidence: { migration: row.name, startedAt: row.started_at.toISOString(), finished: row.finished, logsExcerpt: row.logs?.slice(0, 300) ?? null },
          recommendation: `Check what the migration changed, then run: npx prisma migrate resolve --rolled-back "${row.name}" (if it did not apply; fix and redeploy) or --applied "${row.name}" (if you completed it by hand).`,
        })),
      };
    });
  },
};
