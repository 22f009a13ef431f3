// db.cache_hit_ratio judges the application's tables and indexes, not the whole database: reads
// of the system catalogs and of the add-on's own schemas (it may share the database) are not the
// application's working set. A CLI run on a freshly started embedded store reported "cache hit
// ratio 97 %" from those alone.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Session, eventually, runCheck, session } from "../../../../fixtures/test/checks";
import { createTestDatabase } from "../../../../fixtures/test/databases";
import { APP_SCHEMA } from "../../../own-schemas";
import { dbCacheHitRatio } from "./cache-hit-ratio";

let url: string;
let sql: Session;
const judgedAfter = { minBlocks: 2_000 };

async function scan(table: string, times: number): Promise<void> {
  for (let i = 0; i < times; i++) await sql.query(`SELECT count(*) FROM ${table}`);
  await sql.query("SELECT pg_stat_force_next_flush()");
}

beforeAll(async () => {
  url = await createTestDatabase({ migrate: false });
  sql = await session(url, "app");
  await sql.query(`CREATE SCHEMA ${APP_SCHEMA}; CREATE TABLE ${APP_SCHEMA}.runs AS SELECT g AS id, repeat('x', 200) AS payload FROM generate_series(1, 20000) g`);
  await sql.query("CREATE TABLE public.orders AS SELECT g AS id, repeat('x', 200) AS payload FROM generate_series(1, 20000) g");
});
afterAll(() => sql.end());

describe("db.cache_hit_ratio", () => {
  it("does not count the add-on's own schema or the catalogs: not judged until the application has read enough", async () => {
    await scan(`${APP_SCHEMA}.runs`, 40); // ~600 blocks a scan: far past minBlocks, all of it the add-on's
    const outcome = await eventually(() => runCheck(dbCacheHitRatio, url, judgedAfter), (o) => o.status !== "passed");
    expect(outcome).toMatchObject({ status: "skipped" });
    expect(outcome.status === "skipped" && outcome.reason).toMatch(/^only \d+ block reads of the application's tables and indexes so far; judged after 2000$/);
  });

  it("judges the application's own reads once there are enough of them", async () => {
    await scan("public.orders", 10);
    const outcome = await eventually(() => runCheck(dbCacheHitRatio, url, judgedAfter), (o) => o.status !== "skipped");
    expect(outcome.status).toBe("passed");
    const evidence = outcome.status === "passed" ? (outcome.evidence as { blocksHit: number; blocksRead: number }) : null;
    // Only orders' blocks: ten scans of about 600 blocks, not the forty scans of the add-on's table.
    expect(evidence!.blocksHit + evidence!.blocksRead).toBeGreaterThan(2_000);
    expect(evidence!.blocksHit + evidence!.blocksRead).toBeLessThan(15_000);
  });
});
