// `npx troubleshooter migrate`, as a host runs it from its own folder: the add-on's migrations land
// in schema troubleshooter, the host's prisma/migrations folder is not read, a second run applies
// nothing, and a bad URL is refused naming the setting, without its value.
import { spawnSync } from "node:child_process";
import { mkdtempSync, mkdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { createTestDatabase, withClient } from "../../fixtures/test/databases";

const BIN = path.resolve(import.meta.dirname, "../../bin/troubleshooter.mjs");

function migrate(cwd: string, ...args: string[]) {
  const res = spawnSync(process.execPath, [BIN, "migrate", ...args], { cwd, encoding: "utf8", env: { ...process.env, DATABASE_URL: "" } });
  return { status: res.status, out: `${res.stdout}${res.stderr}` };
}

describe("npx troubleshooter migrate", () => {
  it("migrates the add-on's schema from a host's folder, once", async () => {
    const databaseUrl = await createTestDatabase({ migrate: false });
    // A host folder whose own prisma/migrations would break the database if it were applied.
    const host = mkdtempSync(path.join(tmpdir(), "host-"));
    mkdirSync(path.join(host, "prisma/migrations/1_host"), { recursive: true });
    writeFileSync(path.join(host, "prisma/migrations/1_host/migration.sql"), "SELECT broken syntax here;");
    writeFileSync(path.join(host, "prisma/migrations/migration_lock.toml"), 'provider = "postgresql"\n');
    const first = migrate(host, "--database-url", databaseUrl);
    expect(first.out).toMatch(/applied: \d+_init/);
    expect(first.status).toBe(0);
    expect(migrate(host, "--database-url", databaseUrl).out).toMatch(/nothing to apply/);
    const { rows } = await withClient(databaseUrl, (client) =>
      client.query(`SELECT table_schema FROM information_schema.tables WHERE table_name IN ('TroubleshootingRun', '_prisma_migrations') ORDER BY 1`),
    );
    expect(rows.map((r) => r.table_schema)).toEqual(["troubleshooter", "troubleshooter"]);
  });

  it("refuses a missing or malformed URL with exit 2, never echoing it", () => {
    expect(migrate(tmpdir())).toMatchObject({ status: 2, out: expect.stringContaining("pass --database-url or set DATABASE_URL") });
    const bad = migrate(tmpdir(), "--database-url", "mysql://u:hunter2@db/x");
    expect(bad).toMatchObject({ status: 2, out: expect.stringContaining("must be a postgres") });
    expect(bad.out).not.toContain("hunter2");
  });
});
