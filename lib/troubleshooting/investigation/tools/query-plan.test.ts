// query_plan against a real PostgreSQL: the plan of a running query by pid, the generic plan of a
// pg_stat_statements statement by queryid, and proof that it never runs what it plans (an UPDATE
// held by a lock stays unapplied; a write hidden in planning fails in its READ ONLY transaction).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { asAppRole, eventually } from "../../../../fixtures/test/checks";
import { createTestDatabase, withClient } from "../../../../fixtures/test/databases";
import { callTool, okResult, sessionPool, toolContext } from "../../../../fixtures/test/investigation-tools";
import { PROBE_APPLICATION_NAME } from "../../probes/database";
import { queryPlan } from "./query-plan";
import { sqlTextShape } from "./sql-text";

let url: string;
const sessions = sessionPool(() => url);
const open = sessions.open;
const ctx = () => toolContext({ databaseUrl: url });
/** Waits until `pid` is running its query (or waiting in it), as pg_stat_activity shows. */
const running = (pid: number) =>
  eventually(
    () => withClient(url, async (c) => (await c.query<{ state: string | null }>("SELECT state FROM pg_stat_activity WHERE pid = $1", [pid])).rows[0]?.state ?? null),
    (state) => state === "active",
  );

beforeAll(async () => {
  url = await createTestDatabase({ migrate: false });
  await withClient(url, (c) =>
    c.query(`CREATE TABLE accounts (id int PRIMARY KEY, owner text, balance int NOT NULL DEFAULT 0);
             INSERT INTO accounts SELECT g, 'owner ' || g, 0 FROM generate_series(1, 2000) g;
             CREATE SEQUENCE plan_side_effects;
             -- Lies about being IMMUTABLE, so the planner evaluates it while planning: a write then.
             CREATE FUNCTION bump(i int) RETURNS int IMMUTABLE LANGUAGE plpgsql AS $$ BEGIN PERFORM nextval('plan_side_effects'); RETURN i; END $$;
             ANALYZE accounts`),
  );
});
afterAll(() => sessions.endAll());

describe("query_plan", () => {
  it("plans a long-running query by its pid, with its text as the server shows it", async () => {
    const sleeper = await open("app-report");
    const outcome = sleeper.query("SELECT a.owner, pg_sleep(30) FROM accounts a WHERE a.id = 42").then(() => "finished", (e: Error) => e.message);
    await running(sleeper.pid);
    const result = await okResult(queryPlan, { pid: sleeper.pid }, ctx());
    expect(result).toMatchObject({ source: "pid", pid: sleeper.pid, state: "active", query: "SELECT a.owner, pg_sleep(30) FROM accounts a WHERE a.id = 42", genericPlan: false, parameters: 0 });
    expect((result.plan as { nodes: unknown[] }).nodes[0]).toMatchObject({ depth: 0, nodeType: "Index Scan", relation: "accounts", index: "accounts_pkey", estimatedRows: 1 });
    await withClient(url, (c) => c.query("SELECT pg_cancel_backend($1)", [sleeper.pid]));
    expect(await outcome).toMatch(/canceling statement/);
  });

  it("plans a pg_stat_statements statement by queryid generically, with its figures", async () => {
    const app = await open("app-orm");
    for (const floor of [5, 10, 15]) await app.query("SELECT id, owner FROM accounts WHERE balance > $1 ORDER BY owner", [floor]);
    const row = await eventually(
      () => withClient(url, async (c) => (await c.query<{ queryid: string }>("SELECT queryid::text FROM pg_stat_statements WHERE query LIKE 'SELECT id, owner FROM accounts WHERE balance > $1%'")).rows[0]),
      (r) => r !== undefined,
    );
    const result = await okResult(queryPlan, { queryId: row?.queryid }, ctx());
    expect(result).toMatchObject({ source: "queryid", pid: null, queryId: row?.queryid, query: "SELECT id, owner FROM accounts WHERE balance > $1 ORDER BY owner", genericPlan: true, parameters: 1 });
    expect(result.statistics).toMatchObject({ calls: 3, rows: 0 });
    const nodes = (result.plan as { nodes: { nodeType: string; relation: string | null }[] }).nodes;
    expect(nodes.map((n) => n.nodeType)).toEqual(["Sort", "Seq Scan"]);
    expect(nodes[1]?.relation).toBe("accounts");
  });

  it("never runs the statement: an UPDATE held by a lock stays unapplied, and a write in planning fails read-only", async () => {
    const holder = await open("app-holder");
    await holder.query("BEGIN; SELECT * FROM accounts WHERE id = 7 FOR UPDATE");
    const writer = await open("app-writer");
    await writer.query("BEGIN");
    const update = writer.query("UPDATE accounts SET balance = balance + 100 WHERE id = 7").then(() => "updated", (e: Error) => e.message);
    await running(writer.pid);

    const result = await okResult(queryPlan, { pid: writer.pid }, ctx());
    expect((result.plan as { nodes: unknown[] }).nodes[0]).toMatchObject({ nodeType: "ModifyTable", operation: "Update", relation: "accounts" });
    // Had the tool run it, it would wait on the same row lock: it came back with the plan instead.
    await withClient(url, (c) => c.query("SELECT pg_cancel_backend($1)", [writer.pid]));
    expect(await update).toMatch(/canceling statement/);
    await writer.query("ROLLBACK");
    await holder.query("ROLLBACK");
    expect(await withClient(url, async (c) => (await c.query("SELECT balance FROM accounts WHERE id = 7")).rows[0])).toEqual({ balance: 0 });

    // The planner evaluates bump(1) (declared immutable) while planning; its nextval() is a write.
    const app = await open("app-bump");
    await app.query("SELECT owner FROM accounts WHERE id = bump(1)");
    const before = await withClient(url, async (c) => (await c.query("SELECT last_value FROM plan_side_effects")).rows[0]);
    const refused = await callTool(queryPlan, { pid: app.pid }, ctx());
    expect(refused).toEqual({ status: "error", reason: "cannot execute nextval() in a read-only transaction" });
    expect(await withClient(url, async (c) => (await c.query("SELECT last_value FROM plan_side_effects")).rows[0])).toEqual(before);
  });

  it("refuses more than one statement, utility statements, unknown pids and queryids, and its own sessions", async () => {
    const multi = await open("app-multi");
    await multi.query("SELECT 1; SELECT owner FROM accounts WHERE id = 2");
    expect(await callTool(queryPlan, { pid: multi.pid }, ctx())).toEqual({ status: "refused", reason: "the text holds 2 statements: only a single statement is planned" });

    const utility = await open("app-utility");
    await utility.query("SET work_mem = '8MB'");
    expect(await callTool(queryPlan, { pid: utility.pid }, ctx())).toEqual({ status: "refused", reason: expect.stringContaining('"SET" is not a statement EXPLAIN plans') });

    const own = await open(PROBE_APPLICATION_NAME);
    expect(await callTool(queryPlan, { pid: own.pid }, ctx())).toEqual({ status: "refused", reason: `pid ${own.pid} is one of Troubleshooter's own sessions` });

    // A semicolon inside a literal is no second statement.
    const literal = await open("app-literal");
    await literal.query("SELECT owner FROM accounts WHERE owner = 'a;b' -- trailing; comment");
    expect(await callTool(queryPlan, { pid: literal.pid }, ctx())).toMatchObject({ status: "ok" });

    // The target's role without pg_read_all_stats cannot read a superuser's query: said, not guessed.
    expect(await callTool(queryPlan, { pid: literal.pid }, toolContext({ databaseUrl: await asAppRole(url) }))).toEqual({
      status: "error", reason: `this role may not read the query of pid ${literal.pid} (another role's session; pg_read_all_stats shows it)`,
    });
    expect(await callTool(queryPlan, { pid: 999_999 }, ctx())).toEqual({ status: "refused", reason: "no session with pid 999999 in the target database server" });
    expect(await callTool(queryPlan, { queryId: "123456789" }, ctx())).toEqual({ status: "refused", reason: "no statement with queryid 123456789 in the target database's pg_stat_statements" });
    expect(await callTool(queryPlan, { pid: 1, queryId: "1" }, ctx())).toMatchObject({ status: "refused", reason: expect.stringContaining("exactly one of pid and queryId") });
    expect(await callTool(queryPlan, { queryId: "1; DROP TABLE accounts" }, ctx())).toMatchObject({ status: "refused" });
    expect(await callTool(queryPlan, { pid: 1, sql: "DELETE FROM accounts" }, ctx())).toMatchObject({ status: "refused" });
  });
});

describe("the query text's shape", () => {
  it("counts statements and finds parameters outside literals, comments and dollar quotes", () => {
    expect(sqlTextShape("SELECT 1;")).toEqual({ statements: 1, keyword: "select", hasParameters: false, unterminated: false });
    expect(sqlTextShape("/* a; /* nested; */ b; */ (SELECT $1)")).toMatchObject({ statements: 1, keyword: "select", hasParameters: true });
    expect(sqlTextShape("SELECT E'it\\'s; $1' , $$ ; $2 $$, $t$;$t$, \"a;\"\"b\"")).toMatchObject({ statements: 1, hasParameters: false });
    expect(sqlTextShape("SELECT 1; DELETE FROM accounts")).toMatchObject({ statements: 2 });
    expect(sqlTextShape("SELECT 'cut sho")).toMatchObject({ unterminated: true });
    expect(sqlTextShape("  -- only a comment\n")).toMatchObject({ statements: 0, keyword: null });
  });
});
