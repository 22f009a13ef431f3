// What an approval shows is what runs: for each database fix that builds a statement from the
// target's names, describe() is byte for byte a statement apply sends to PostgreSQL, captured at
// the pg client on a real database whose names hold quotes, semicolons and an ESC sequence.
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase } from "../../../../fixtures/test/databases";
import { session } from "../../../../fixtures/test/checks";
import { testTarget } from "../../../../fixtures/test/engine";
import type { FixActionDef } from "../../catalogue";
import { dbAnalyzeTable } from "./analyze-table";
import { dbCreateIndexConcurrently } from "./create-index-concurrently";
import { dbReindexConcurrently } from "./reindex-concurrently";
import { dbVacuumTable } from "./vacuum-table";

const TABLE = `pwn"; DROP TABLE x; --'\x1b[2J`;
const INDEX = `pwn_idx"; SELECT 1; --`;
const q = (name: string) => `"${name.replaceAll('"', '""')}"`;

let url: string;
const sent: string[] = [];
const original = pg.Client.prototype.query;

beforeAll(async () => {
  url = await createTestDatabase({ migrate: false });
  const sql = await session(url, "fault-maker");
  await sql.query(`CREATE TABLE ${q(TABLE)} (id int, v int)`);
  await sql.query(`CREATE INDEX ${q(INDEX)} ON ${q(TABLE)} (v)`);
  await sql.query(`UPDATE pg_index SET indisvalid = false WHERE indexrelid = $1::regclass`, [`public.${q(INDEX)}`]); // as a failed CONCURRENTLY build leaves it
  await sql.query(`CREATE TABLE "Orders" ("customerId" int)`);
  await sql.end();
  // Records the text of every statement the fixes send (the client is real; only observed).
  pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
    const first = args[0];
    sent.push(typeof first === "string" ? first : String((first as { text?: unknown })?.text ?? ""));
    return (original as (...a: unknown[]) => unknown).apply(this, args);
  } as typeof original;
});
afterAll(() => {
  pg.Client.prototype.query = original;
});

async function describedAndSent<P>(action: FixActionDef<P>, params: P) {
  sent.length = 0;
  const described = action.describe(params);
  const result = await action.apply(params, { target: testTarget("http://127.0.0.1:9", url), signal: AbortSignal.timeout(20_000), integrations: {}, credentials: null });
  return { described, sent: [...sent], result };
}

describe("describe() is the statement apply runs", () => {
  it.each([
    ["VACUUM", dbVacuumTable],
    ["ANALYZE", dbAnalyzeTable],
  ])("%s of a table with a hostile name", async (_, action) => {
    const { described, sent: statements, result } = await describedAndSent(action, { schema: "public", table: TABLE });
    expect(result.ok, result.detail).toBe(true);
    expect(statements).toContain(described);
    expect(described).not.toContain("\x1b"); // written as a U& escape
  });

  it("REINDEX of a hostile-named invalid index", async () => {
    const { described, sent: statements, result } = await describedAndSent(dbReindexConcurrently, { schema: "public", index: INDEX });
    expect(result.ok, result.detail).toBe(true);
    expect(statements).toContain(described);
  });

  it("CREATE INDEX on a mixed-case table (quoted, as PostgreSQL must see it)", async () => {
    const { described, sent: statements, result } = await describedAndSent(dbCreateIndexConcurrently, { schema: "public", table: "Orders", columns: ["customerId"] });
    expect(result.ok, result.detail).toBe(true);
    expect(described).toBe('CREATE INDEX CONCURRENTLY IF NOT EXISTS "Orders_customerId_idx" ON "public"."Orders" ("customerId")');
    expect(statements).toContain(described);
  });
});
