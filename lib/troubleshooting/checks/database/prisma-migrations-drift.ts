import { readdir } from "node:fs/promises";
import type { Check } from "../../catalogue";
import { locatePrismaMigrations } from "./prisma-migrations-failed";
import { readOnly } from "./shared";

/** The migrations folder of the target (TARGET_MIGRATIONS_DIR; this app's own when the target
 * is its own database) against what _prisma_migrations says was applied. */
export const dbPrismaMigrationsDrift: Check = {
  code: "db.prisma_migrations_drift",
  domain: "database",
  title: "Prisma migration drift",
  description: "Migrations in the target's migrations folder not applied (medium), or applied ones missing from the folder (high).",
  async run({ target, signal }) {
    if (!target.migrationsDir) return { status: "skipped", reason: "no migrations folder configured for the target (TARGET_MIGRATIONS_DIR)" };
    const folder = target.migrationsDir;
    const local = await readdir(folder, { withFileTypes: true }).then(
      (entries) => entries.filter((e) => e.isDirectory()).map((e) => e.name).sort(),
      () => null,
    );
    if (!local) return { status: "error", reason: "the configured migrations folder cannot be read" };
    return readOnly(target, signal, async (client) => {
      // The same schema Prisma uses for this URL (?schema=, default public); the name is quoted by PostgreSQL.
      const table = await locatePrismaMigrations(client, target.databaseUrl);
      if ("missing" in table) return { status: "skipped", reason: table.missing };
      const { schema } = table;
      const { rows } = await client.query<{ name: string }>(
        `SELECT migration_name AS name FROM ${table.qualified} WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`,
      );
      const applied = new Set(rows.map((r) => r.name));
      const pending = local.filter((name) => !applied.has(name));
      const unknown = [...applied].filter((name) => !local.includes(name)).sort();
      const issues = [];
      if (pending.length > 0) {
        issues.push({
          severity: "medium" as const,
          title: `${pending.length} migration${pending.length === 1 ? " is" : "s are"} not applied to the database`,
          description: "The code expects schema changes the database does not have yet; queries touching them fail.",
          subject: "pending",
          evidence: { pending, folder, schema },
          recommendation: "Apply them: npx prisma migrate deploy (or npm run db:migrate).",
        });
      }
      if (unknown.length > 0) {
        issues.push({
          severity: "high" as const,
          title: `${unknown.length} applied migration${unknown.length === 1 ? " is" : "s are"} missing from the migrations folder`,
          description: "The database was migrated by code this deployment does not have: histories diverged, and the next migrate may fail.",
          subject: "unknown",
          evidence: { appliedButMissing: unknown, folder, schema },
          recommendation: "Find the branch or deployment that added them and merge its prisma/migrations folder; never delete applied migrations.",
        });
      }
      return issues.length === 0 ? { status: "passed", evidence: { migrations: local.length, schema } } : { status: "issues", issues };
    });
  },
};
