import { cp, mkdtemp, readFile, readdir, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { describe, expect, it } from "vitest";
import { createTestDatabase } from "../../fixtures/test/databases";
import { applyMigrations, createMigration } from "./migrations";
import { MIGRATIONS_DIR, SCHEMA_FILE } from "./schema-engine";

async function tablesOf(url: string): Promise<string[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ table_name: string }>(
      "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name",
    );
    return rows.map((r) => r.table_name);
  } finally {
    await client.end();
  }
}

describe("migrations (WASM schema engine, real PostgreSQL)", () => {
  it("apply to an empty database, then again with nothing to do", async () => {
    const url = await createTestDatabase({ migrate: false });
    const all = (await readdir(MIGRATIONS_DIR, { withFileTypes: true })).filter((e) => e.isDirectory()).map((e) => e.name);

    const first = await applyMigrations(url);
    expect(first.applied).toEqual(all.sort());
    expect(await tablesOf(url)).toEqual(
      expect.arrayContaining(["User", "TroubleshootingRun", "RunEvent", "Issue", "FixAction", "MetricSample", "AuditLog", "_prisma_migrations"]),
    );

    const second = await applyMigrations(url);
    expect(second.applied).toEqual([]);
  });

  it("writes a new migration from a schema change, replaying history in a shadow database", async () => {
    const url = await createTestDatabase({ migrate: false });
    const work = await mkdtemp(path.join(os.tmpdir(), "troubleshooter-migration-"));
    const migrationsDir = path.join(work, "migrations");
    await cp(MIGRATIONS_DIR, migrationsDir, { recursive: true });
    const schemaFile = path.join(work, "schema.prisma");
    await writeFile(schemaFile, await readFile(SCHEMA_FILE, "utf8"));

    expect(await createMigration(url, "nothing", { migrationsDir, schemaFile })).toBeNull();

    await writeFile(schemaFile, `${await readFile(schemaFile, "utf8")}\nmodel Probe {\n  id Int @id\n  label String\n}\n`);
    const folder = await createMigration(url, "add_probe", { migrationsDir, schemaFile });
    expect(folder).toMatch(/^\d{14}_add_probe$/);
    const sql = await readFile(path.join(migrationsDir, folder ?? "", "migration.sql"), "utf8");
    expect(sql).toContain('CREATE TABLE "Probe"');
    expect(sql).not.toContain('CREATE TABLE "User"');

    await applyMigrations(url, migrationsDir);
    expect(await tablesOf(url)).toContain("Probe");
    // the shadow database is gone afterwards
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    const shadows = await client.query("SELECT datname FROM pg_database WHERE datname LIKE 'prisma_shadow_%'");
    await client.end();
    expect(shadows.rowCount).toBe(0);
  });
});
