// session_activity on a real blocking chain: a transaction holding a row lock, an UPDATE waiting
// for it, and a session waiting on an advisory lock: what each holds and awaits, and who blocks whom.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { asAppRole, eventually, sleep } from "../../../../fixtures/test/checks";
import { createTestDatabase, withClient } from "../../../../fixtures/test/databases";
import { callTool, okResult, sessionPool, toolContext } from "../../../../fixtures/test/investigation-tools";
import { FIX_APPLICATION_NAME } from "../../probes/database";
import { sessionActivity } from "./session-activity";

let url: string;
const sessions = sessionPool(() => url);
const open = sessions.open;
const ctx = () => toolContext({ databaseUrl: url });
const waitingOnLock = (pid: number) =>
  eventually(
    () => withClient(url, async (c) => (await c.query<{ w: string | null }>("SELECT wait_event_type AS w FROM pg_stat_activity WHERE pid = $1", [pid])).rows[0]?.w ?? null),
    (w) => w === "Lock",
  );

beforeAll(async () => {
  url = await createTestDatabase({ migrate: false });
  await withClient(url, (c) => c.query("CREATE TABLE orders (id int PRIMARY KEY, total int); INSERT INTO orders VALUES (1, 10), (2, 20)"));
});
afterAll(() => sessions.endAll());

type Lock = { locktype: string; mode: string; relation: string | null };

describe("session_activity", () => {
  it("shows a row-lock chain from both ends: the idle transaction holding it and the UPDATE waiting", async () => {
    const holder = await open("app-checkout");
    await holder.query("BEGIN; UPDATE orders SET total = total + 1 WHERE id = 1");
    const waiter = await open("app-refunds");
    const waited = waiter.query("UPDATE orders SET total = 0 WHERE id = 1").then(() => "done", (e: Error) => e.message);
    await waitingOnLock(waiter.pid);
    await sleep(1_100);

    const blocked = await okResult(sessionActivity, { pid: waiter.pid }, ctx());
    expect(blocked).toMatchObject({
      pid: waiter.pid, application: "app-refunds", state: "active", waitEventType: "Lock", waitEvent: "transactionid",
      query: "UPDATE orders SET total = ? WHERE id = ?", blockedBy: [holder.pid], blocks: [], queryHidden: false,
    });
    expect(blocked.queryAgeSeconds).toBeGreaterThanOrEqual(1);
    expect(blocked.locksAwaited).toEqual([expect.objectContaining({ locktype: "transactionid", mode: "ShareLock", relation: null })]);
    expect((blocked.locksHeld as Lock[]).some((l) => l.relation === "orders" && l.mode === "RowExclusiveLock")).toBe(true);

    const root = await okResult(sessionActivity, { pid: holder.pid }, ctx());
    expect(root).toMatchObject({ pid: holder.pid, application: "app-checkout", state: "idle in transaction", blockedBy: [], blocks: [waiter.pid], locksAwaited: [] });
    expect(root.xactAgeSeconds).toBeGreaterThanOrEqual(1);
    const held = root.locksHeld as Lock[];
    expect(held.some((l) => l.locktype === "transactionid" && l.mode === "ExclusiveLock")).toBe(true);
    expect(held.some((l) => l.relation === "orders" && l.mode === "RowExclusiveLock")).toBe(true);

    await holder.query("ROLLBACK");
    expect(await waited).toBe("done");
  });

  it("shows an advisory lock held by one session and awaited by another", async () => {
    const owner = await open("app-cron");
    await owner.query("SELECT pg_advisory_lock(4242)");
    const second = await open("app-cron-2");
    const waited = second.query("SELECT pg_advisory_lock(4242)").then(() => "locked", (e: Error) => e.message);
    await waitingOnLock(second.pid);

    const waiting = await okResult(sessionActivity, { pid: second.pid }, ctx());
    expect(waiting).toMatchObject({ blockedBy: [owner.pid], waitEvent: "advisory", locksAwaited: [{ locktype: "advisory", mode: "ExclusiveLock", relation: null, advisoryKey: "4242" }] });
    const holding = await okResult(sessionActivity, { pid: owner.pid }, ctx());
    expect(holding).toMatchObject({ state: "idle", blocks: [second.pid], locksAwaited: [] });
    expect(holding.locksHeld).toContainEqual({ locktype: "advisory", mode: "ExclusiveLock", relation: null, advisoryKey: "4242" });

    await owner.query("SELECT pg_advisory_unlock(4242)");
    expect(await waited).toBe("locked");
  });

  it("refuses an unknown pid and the add-on's own sessions", async () => {
    expect(await callTool(sessionActivity, { pid: 999_999 }, ctx())).toEqual({ status: "refused", reason: "no session with pid 999999 in the target database server" });
    const fix = await open(FIX_APPLICATION_NAME);
    expect(await callTool(sessionActivity, { pid: fix.pid }, ctx())).toEqual({ status: "refused", reason: `pid ${fix.pid} is one of Troubleshooter's own sessions` });
    expect(await callTool(sessionActivity, { pid: "1 OR 1=1" }, ctx())).toMatchObject({ status: "refused" });
  });

  it("says when the target's role may not read another role's query, rather than showing none", async () => {
    const admin = await open("admin-console");
    await admin.query("SELECT 'secret-report' AS name");
    const asApp = toolContext({ databaseUrl: await asAppRole(url) });
    expect(await okResult(sessionActivity, { pid: admin.pid }, asApp)).toMatchObject({ pid: admin.pid, query: null, queryHidden: true });
  });
});
