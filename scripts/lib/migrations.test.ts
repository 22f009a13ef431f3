import { cp, mkdir, mkdtemp, readFile, readdir, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { describe, expect, it } from "vitest";
import { createTestDatabase, withClient } from "../../fixtures/test/databases";
import { createHostDatabase, snapshotSchema } from "../../fixtures/test/host-database";
import { APP_SCHEMA } from "../../lib/own-schemas";
import { applyMigrations, createMigration } from "./migrations";
import { MIGRATIONS_DIR, SCHEMA_FILE } from "./schema-engine";

async function tablesOf(url: string, schema: string): Promise<string[]> {
  return withClient(url, async (sql) => {
    const { rows } = await sql.query<{ table_name: string }>(
      "SELECT table_name FROM information_schema.tables WHERE table_schema = $1 AND table_type = 'BASE TABLE' ORDER BY table_name",
      [schema],
    );
    return rows.map((r) => r.table_name);
  });
}

async function migrationNames(url: string, qualified: string): Promise<string[]> {
  return withClient(url, async (sql) => (await sql.query<{ name: string }>(`SELECT migration_name AS name FROM ${qualified} ORDER BY 1`)).rows.map((r) => r.name));
}

const ownMigrations = async () => (await readdir(MIGRATIONS_DIR, { withFileTypes: true })).filter((e) => e.isDirectory()).map((e) => e.name).sort();

describe("migrations (WASM schema engine, real PostgreSQL)", () => {
  it("apply to an empty database in schema troubleshooter only, then again with nothing to do", async () => {
    const url = await createTestDatabase({ migrate: false });
    const all = await ownMigrations();

    const first = await applyMigrations(url);
    expect(first.applied).toEqual(all);
    expect(await tablesOf(url, APP_SCHEMA)).toEqual(
      expect.arrayContaining(["User", "TroubleshootingRun", "RunEvent", "Issue", "FixAction", "MetricSample", "AuditLog", "_prisma_migrations"]),
    );
    expect(await migrationNames(url, `${APP_SCHEMA}._prisma_migrations`)).toEqual(all);
    expect(await tablesOf(url, "public")).toEqual([]);

    const second = await applyMigrations(url);
    expect(second.applied).toEqual([]);
  });

  it("has SQL that names schema troubleshooter in every statement, and nothing of public", async () => {
    for (const folder of await ownMigrations()) {
      const sql = await readFile(path.join(MIGRATIONS_DIR, folder, "migration.sql"), "utf8");
      expect(sql).not.toMatch(/public/i);
      const statements = sql.split(";").map((s) => s.replace(/--.*$/gm, "").trim()).filter(Boolean);
      for (const statement of statements) expect(statement).toContain(`"${APP_SCHEMA}"`);
    }
  });

  it("leaves a host's public schema, its rows and its public._prisma_migrations exactly as they were", async () => {
    const url = await createHostDatabase();
    const before = await snapshotSchema(url, "public");
    expect(before["rows of public._prisma_migrations"]).toHaveLength(1);
    expect(before["rows of public.users"]).toHaveLength(2);

    expect((await applyMigrations(url)).applied).toEqual(await ownMigrations());
    expect((await applyMigrations(url)).applied).toEqual([]);

    expect(await snapshotSchema(url, "public")).toEqual(before);
    expect(await tablesOf(url, APP_SCHEMA)).toEqual(expect.arrayContaining(["TroubleshootingRun", "User", "_prisma_migrations"]));
    expect(await migrationNames(url, `${APP_SCHEMA}._prisma_migrations`)).toEqual(await ownMigrations());
    // the host's enum "Role" and the add-on's live side by side
    const roles = await withClient(url, async (sql) => (await sql.query<{ t: string }>(`SELECT typnamespace::regnamespace::text AS t FROM pg_type WHERE typname = 'Role' ORDER BY 1`)).rows.map((r) => r.t));
    expect(roles).toEqual(["public", APP_SCHEMA]);
  });

  it("writes a new migration from a schema change, replaying history in a shadow database", async () => {
    const url = await createTestDatabase({ migrate: false });
    const work = await mkdtemp(path.join(os.tmpdir(), "troubleshooter-migration-"));
    const migrationsDir = path.join(work, "migrations");
    await cp(MIGRATIONS_DIR, migrationsDir, { recursive: true });
    const schemaFile = path.join(work, "schema.prisma");
    await writeFile(schemaFile, await readFile(SCHEMA_FILE, "utf8"));

    expect(await createMigration(url, "nothing", { migrationsDir, schemaFile })).toBeNull();

    await writeFile(schemaFile, `${await readFile(schemaFile, "utf8")}\nmodel Probe {\n  id Int @id\n  label String\n\n  @@schema("troubleshooter")\n}\n`);
    const folder = await createMigration(url, "add_probe", { migrationsDir, schemaFile });
    expect(folder).toMatch(/^\d{14}_add_probe$/);
    const sql = await readFile(path.join(migrationsDir, folder ?? "", "migration.sql"), "utf8");
    expect(sql).toContain('CREATE TABLE "troubleshooter"."Probe"');
    expect(sql).not.toContain('"User"');
    expect(sql).not.toMatch(/public/i);

    await applyMigrations(url, migrationsDir);
    expect(await tablesOf(url, APP_SCHEMA)).toContain("Probe");
    expect(await tablesOf(url, "public")).toEqual([]);
    // the shadow database is gone afterwards
    const shadows = await withClient(url, (client) => client.query("SELECT datname FROM pg_database WHERE datname LIKE 'prisma_shadow_%'"));
    expect(shadows.rowCount).toBe(0);
  });

  it("skips the engine when _prisma_migrations lists exactly the folder's migrations with their checksums; runs it otherwise", async () => {
    const url = await createTestDatabase({ migrate: false });
    const work = await mkdtemp(path.join(os.tmpdir(), "troubleshooter-migrations-"));
    const migrationsDir = path.join(work, "migrations");
    await cp(MIGRATIONS_DIR, migrationsDir, { recursive: true });
    expect((await applyMigrations(url, migrationsDir)).applied).toEqual(await ownMigrations());

    // Up to date: no engine, so nothing ever waits for Prisma's migration lock.
    expect(await engineRan(url, () => applyMigrations(url, migrationsDir))).toEqual({ ran: false, result: { applied: [] } });

    // A migration edited after it was applied (its checksum differs): the engine's call.
    const last = (await ownMigrations()).at(-1) ?? "";
    const lastFile = path.join(migrationsDir, last, "migration.sql");
    await writeFile(lastFile, `${await readFile(lastFile, "utf8")}\n-- edited\n`);
    expect((await engineRan(url, () => applyMigrations(url, migrationsDir))).ran).toBe(true);

    // A new migration: applied.
    await mkdir(path.join(migrationsDir, "29990101000000_probe"));
    await writeFile(path.join(migrationsDir, "29990101000000_probe", "migration.sql"), `CREATE TABLE "${APP_SCHEMA}"."Probe" ("id" INTEGER PRIMARY KEY);\n`);
    const added = await engineRan(url, () => applyMigrations(url, migrationsDir));
    expect(added).toEqual({ ran: true, result: { applied: ["29990101000000_probe"] } });
    expect(await tablesOf(url, APP_SCHEMA)).toContain("Probe");
  });
});

/** Prisma's migration advisory lock (the schema engine takes it before it reads or applies anything). */
const PRISMA_MIGRATE_LOCK = 72707369;

/**
 * Runs `work` while another session holds Prisma's migration lock; `ran` is true when a session
 * queued for that lock meanwhile (the engine started), which is then released so `work` can finish.
 */
async function engineRan<T>(url: string, work: () => Promise<T>): Promise<{ ran: boolean; result: T }> {
  const holder = new pg.Client({ connectionString: url });
  await holder.connect();
  try {
    await holder.query("SELECT pg_advisory_lock($1)", [PRISMA_MIGRATE_LOCK]);
    let settled = false;
    const pending = work().finally(() => (settled = true));
    let ran = false;
    for (let i = 0; i < 50 && !settled && !ran; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      const { rowCount } = await holder.query("SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND NOT granted AND objid = $1", [PRISMA_MIGRATE_LOCK]);
      ran = (rowCount ?? 0) > 0;
    }
    await holder.query("SELECT pg_advisory_unlock($1)", [PRISMA_MIGRATE_LOCK]);
    return { ran, result: await pending };
  } finally {
    await holder.end();
  }
}
