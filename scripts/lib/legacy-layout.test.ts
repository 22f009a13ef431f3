// An install from before the add-on's own schema is recognised (and left alone); a host's public
// schema with its own migrations is not mistaken for one.
import { describe, expect, it } from "vitest";
import { createTestDatabase, withClient } from "../../fixtures/test/databases";
import { legacyLayoutNotice } from "./legacy-layout";

const sql = (databaseUrl: string, text: string) => withClient(databaseUrl, (client) => client.query(text));

describe("the pre-0.2 layout notice", () => {
  it("names the old tables in public, and nothing else", async () => {
    const databaseUrl = await createTestDatabase();
    expect(await legacyLayoutNotice(databaseUrl)).toBeNull();
    await sql(databaseUrl, `CREATE TABLE public._prisma_migrations (id text PRIMARY KEY, migration_name text NOT NULL);
      INSERT INTO public._prisma_migrations VALUES ('1', '20200101000000_host_init');
      CREATE TABLE public."TroubleshootingRun" (id text PRIMARY KEY)`);
    expect(await legacyLayoutNotice(databaseUrl)).toBeNull(); // a host's own history: not ours
    await sql(databaseUrl, `INSERT INTO public._prisma_migrations VALUES ('2', '20261124092029_init')`);
    expect(await legacyLayoutNotice(databaseUrl)).toMatch(/schema public[\s\S]*DROP TABLE IF EXISTS public."TroubleshootingRun"/);
  });
});
