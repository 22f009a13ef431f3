// table_stats on a real table with dead tuples and indexes; names that are not a user table
// (unknown, a system catalog, an injection attempt) are refused and change nothing.
import { beforeAll, describe, expect, it } from "vitest";
import { eventually, session } from "../../../../fixtures/test/checks";
import { createTestDatabase, withClient } from "../../../../fixtures/test/databases";
import { callTool, okResult, toolContext } from "../../../../fixtures/test/investigation-tools";
import { parseTableName, tableStats } from "./table-stats";

let url: string;
const ctx = () => toolContext({ databaseUrl: url });

beforeAll(async () => {
  url = await createTestDatabase({ migrate: false });
  await withClient(url, async (c) => {
    await c.query(`CREATE TABLE events (id int PRIMARY KEY, kind text, at timestamptz DEFAULT now()) WITH (autovacuum_enabled = off);
                   CREATE INDEX events_kind ON events (kind);
                   INSERT INTO events (id, kind) SELECT g, 'k' || (g % 10) FROM generate_series(1, 5000) g;
                   DELETE FROM events WHERE id <= 2000;
                   CREATE TABLE y (id int); CREATE SCHEMA billing; CREATE TABLE billing."Invoice" (id int PRIMARY KEY)`);
  });
});

describe("table_stats", () => {
  it("reports tuples, dead tuples, scans, sizes and indexes of a user table", async () => {
    const result = await eventually(() => okResult(tableStats, { table: "events" }, ctx()), (r) => r.deadTuples === 2000);
    expect(result).toMatchObject({ schema: "public", table: "events", liveTuples: 3000, deadTuples: 2000, deadTuplePercent: 40, inserts: 5000, deletes: 2000, lastAutovacuum: null, otherMatches: [] });
    expect(result.tableBytes).toBeGreaterThan(100_000);
    expect(result.totalBytes).toBeGreaterThan((result.tableBytes as number) + 1);
    const indexes = result.indexes as { name: string; definition: string; primary: boolean; sizeBytes: number }[];
    expect(indexes.map((i) => i.name).sort()).toEqual(["events_kind", "events_pkey"]);
    expect(indexes.find((i) => i.name === "events_kind")?.definition).toBe("CREATE INDEX events_kind ON public.events USING btree (kind)");
    expect(indexes.find((i) => i.name === "events_pkey")?.primary).toBe(true);
    expect(indexes.every((i) => i.sizeBytes > 0)).toBe(true);

    expect(await okResult(tableStats, { table: 'billing."Invoice"' }, ctx())).toMatchObject({ schema: "billing", table: "Invoice" });
    expect(await okResult(tableStats, { table: "public.EVENTS" }, ctx())).toMatchObject({ table: "events" });
  });

  it("refuses unknown names, system catalogs and injection attempts, which change nothing", async () => {
    expect(await callTool(tableStats, { table: "nope" }, ctx())).toMatchObject({ status: "refused", reason: expect.stringContaining("no user table named nope") });
    expect(await callTool(tableStats, { table: "pg_class" }, ctx())).toMatchObject({ status: "refused", reason: expect.stringContaining("no user table named pg_class") });
    expect(await callTool(tableStats, { table: "pg_catalog.pg_class" }, ctx())).toMatchObject({ status: "refused" });
    expect(await callTool(tableStats, { table: "information_schema.tables" }, ctx())).toMatchObject({ status: "refused" });
    expect(await callTool(tableStats, { table: "x'; drop table y; --" }, ctx())).toMatchObject({ status: "refused" });
    expect(await callTool(tableStats, { table: 'events"; drop table y; --' }, ctx())).toMatchObject({ status: "refused" });
    // Quoted, it is a well-formed name that reaches the catalog lookup as a bound parameter.
    expect(await callTool(tableStats, { table: `"x'; drop table y; --"` }, ctx())).toMatchObject({ status: "refused", reason: expect.stringContaining("no user table named") });
    expect(await callTool(tableStats, { table: "events", schema: "public" }, ctx())).toMatchObject({ status: "refused" });
    expect(await withClient(url, async (c) => (await c.query("SELECT to_regclass('public.y') IS NOT NULL AS present")).rows[0])).toEqual({ present: true });
  });

  it("gives up at its statement timeout, under what is left of the call's time, when a lock holds it", async () => {
    const locker = await session(url, "app-migration");
    try {
      await locker.query("BEGIN; LOCK TABLE events IN ACCESS EXCLUSIVE MODE");
      // The sizes need a share lock on the table: the statement waits until its timeout ends it.
      const outcome = await callTool(tableStats, { table: "events" }, toolContext({ databaseUrl: url, deadline: Date.now() + 600 }));
      expect(outcome).toEqual({ status: "error", reason: "canceling statement due to statement timeout" });
    } finally {
      await locker.end();
    }
  });

  it("reads names as SQL does: unquoted parts case-insensitively, quoted ones exactly", () => {
    expect(parseTableName('billing."Invoice"')).toEqual({ schema: { name: "billing", quoted: false }, name: { name: "Invoice", quoted: true } });
    expect(parseTableName('"a""b"')).toEqual({ schema: null, name: { name: 'a"b', quoted: true } });
    expect(parseTableName("a.b.c")).toBeNull();
    expect(parseTableName("x'; drop table y; --")).toBeNull();
  });
});
