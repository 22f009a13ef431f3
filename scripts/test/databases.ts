// Fresh databases on the vitest PostgreSQL server, one per caller, optionally migrated.
import { randomUUID } from "node:crypto";
import pg from "pg";
import { inject } from "vitest";
import { enableQueryStatistics } from "../lib/embedded-postgres";
import { applyMigrations } from "../lib/migrations";

export async function createTestDatabase(options: { migrate?: boolean } = {}): Promise<string> {
  const server = inject("pgServerUrl");
  const name = `test_${randomUUID().replaceAll("-", "").slice(0, 16)}`;
  const admin = new pg.Client({ connectionString: `${server}/postgres` });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = `${server}/${name}`;
  await enableQueryStatistics(url);
  if (options.migrate ?? true) await applyMigrations(url);
  return url;
}
