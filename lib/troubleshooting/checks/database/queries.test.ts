// Query faults created for real: slow statements recorded by pg_stat_statements, a 50,000-row
// table scanned over and over by an unindexed column; and the index that fixes it.
import { describe, expect, it } from "vitest";
import { createTestDatabase } from "../../../../fixtures/test/databases";
import { eventually, issuesOf, planAndApply, runCheck, session } from "../../../../fixtures/test/checks";
import type { FixActionDef } from "../../catalogue";
import { dbAdviseQueryStatistics } from "../../fixes/database/advice";
import { dbCreateIndexConcurrently } from "../../fixes/database/create-index-concurrently";
import { dbMissingIndex } from "./missing-index";
import { dbSlowQueries } from "./slow-queries";

describe("query checks and fixes", () => {
  it("names slow statements from pg_stat_statements, with literals stripped", async () => {
    const url = await createTestDatabase({ migrate: false });
    const app = await session(url, "slow-app");
    try {
      for (let i = 0; i < 3; i++) await app.query("SELECT pg_sleep(0.06), 'secret-literal'");
      const [slow] = issuesOf(await runCheck(dbSlowQueries, url, { minCalls: 3, meanMs: 50 }));
      expect(slow).toMatchObject({ severity: "medium", evidence: { calls: 3, query: "SELECT pg_sleep($1), $2" } });
      expect(slow?.evidence.meanMs).toBeGreaterThanOrEqual(50);
      expect(JSON.stringify(slow)).not.toContain("secret-literal");
      expect((await runCheck(dbSlowQueries, url)).status).toBe("passed"); // the defaults need 100 calls
    } finally {
      await app.end();
    }
  });

  it("says how to enable pg_stat_statements when it is missing, as a low issue with advice", async () => {
    const url = await createTestDatabase({ migrate: false });
    const admin = await session(url, "admin");
    await admin.query("DROP EXTENSION pg_stat_statements");
    await admin.end();
    const [missing] = issuesOf(await runCheck(dbSlowQueries, url));
    expect(missing).toMatchObject({ severity: "low", evidence: { missingExtension: true, preloaded: true } });
    const plan = dbAdviseQueryStatistics.plan({ id: "i", code: "db.slow_queries", subject: missing!.subject, evidence: missing!.evidence });
    expect(plan).toEqual({ steps: "Run in the database: CREATE EXTENSION pg_stat_statements;" });
  });

  it("finds a big table scanned by an unindexed column, names the column, and the created index resolves it", async () => {
    const url = await createTestDatabase({ migrate: false });
    const app = await session(url, "shop");
    try {
      await app.query("CREATE TABLE orders (id serial PRIMARY KEY, customer_id int, total numeric)");
      await app.query("INSERT INTO orders (customer_id, total) SELECT g % 5000, g FROM generate_series(1, 50000) g");
      for (let i = 0; i < 15; i++) await app.query("SELECT * FROM orders WHERE customer_id = $1", [i]);
      await app.query("SELECT pg_stat_force_next_flush()");
      const [missing] = issuesOf(await eventually(() => runCheck(dbMissingIndex, url), (o) => o.status === "issues"));
      expect(missing).toMatchObject({ severity: "medium", subject: "public.orders", evidence: { rows: 50000, columns: ["customer_id"] } });
      expect(missing?.evidence.seqScans).toBeGreaterThanOrEqual(15);

      const result = await planAndApply(dbCreateIndexConcurrently as FixActionDef<never>, "db.missing_index", missing!, url);
      expect(result).toEqual({ ok: true, detail: 'CREATE INDEX CONCURRENTLY IF NOT EXISTS "orders_customer_id_idx" ON "public"."orders" ("customer_id") completed.' });
      const { rows } = await app.query("SELECT indisvalid FROM pg_index WHERE indexrelid = 'orders_customer_id_idx'::regclass");
      expect(rows).toEqual([{ indisvalid: true }]);
      expect((await runCheck(dbMissingIndex, url)).status).toBe("passed");
    } finally {
      await app.end();
    }
  });
});
