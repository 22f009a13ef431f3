// Session faults created for real: idle transactions holding locks, lock waits, deadlocks, slow
// round trips, wrong credentials; and the fixes that end them, guarded to the diagnosed session.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase } from "../../../../fixtures/test/databases";
import { type Session, asAppRole, eventually, issuesOf, memoryForTest, planAndApply, runCheck, session, sleep } from "../../../../fixtures/test/checks";
import { startDelayProxy } from "../../../../fixtures/test/delay-proxy";
import { freePort } from "../../../../scripts/lib/embedded-postgres";
import { dbTerminateBlockingSession } from "../../fixes/database/terminate-blocking-session";
import { dbTerminateIdleInTransaction } from "../../fixes/database/terminate-idle-in-transaction";
import type { FixActionDef } from "../../catalogue";
import { dbAuthFailed } from "./auth-failed";
import { dbBlockedQueries } from "./blocked-queries";
import { dbConnectionLatency } from "./connection-latency";
import { dbDeadlocks } from "./deadlocks";
import { dbIdleInTransaction } from "./idle-in-transaction";
import { dbLongRunningQuery } from "./long-running-query";
import { dbUnreachable } from "./unreachable";

let url: string;
let appUrl: string;
const opened: Session[] = [];
const open = async (name: string, as = appUrl) => {
  const client = await session(as, name);
  opened.push(client);
  return client;
};

beforeAll(async () => {
  url = await createTestDatabase({ migrate: false });
  appUrl = await asAppRole(url);
  const setup = await session(appUrl, "setup");
  await setup.query("CREATE TABLE accounts (id int PRIMARY KEY, balance int); INSERT INTO accounts VALUES (1, 0), (2, 0)");
  await setup.end();
});
afterAll(async () => {
  await Promise.all(opened.map((c) => c.end().catch(() => {})));
});

describe("session checks and fixes", () => {
  it("finds a transaction left open holding a row lock, and the query it blocks; terminating the root unblocks it", async () => {
    const holder = await open("fault-holder");
    await holder.query("BEGIN; UPDATE accounts SET balance = balance + 1 WHERE id = 1");
    const waiter = await open("fault-waiter");
    const waited = waiter.query("UPDATE accounts SET balance = balance + 10 WHERE id = 1").then(() => "done", (e: Error) => e.message);
    await sleep(1_300);

    const [idle] = issuesOf(await runCheck(dbIdleInTransaction, url, { idleSeconds: 1 }));
    expect(idle).toMatchObject({ severity: "high", evidence: { pid: holder.pid, application: "fault-holder", lastQuery: "BEGIN; UPDATE accounts SET balance = balance + ? WHERE id = ?" } });
    expect(idle?.evidence.locksHeld).toBeGreaterThan(0);

    const [blocked] = issuesOf(await runCheck(dbBlockedQueries, url, { waitSeconds: 1 }));
    expect(blocked).toMatchObject({ severity: "high", evidence: { rootPid: holder.pid, rootState: "idle in transaction", chain: [waiter.pid, holder.pid] } });
    expect(blocked?.evidence.blocked).toEqual([expect.objectContaining({ pid: waiter.pid })]);

    const result = await planAndApply(dbTerminateBlockingSession as FixActionDef<never>, "db.blocked_queries", blocked!, url);
    expect(result).toMatchObject({ ok: true, detail: expect.stringContaining("Terminated session") });
    expect(await waited).toBe("done");
    expect((await runCheck(dbBlockedQueries, url, { waitSeconds: 1 })).status).toBe("passed");
    expect((await runCheck(dbIdleInTransaction, url, { idleSeconds: 1 })).status).toBe("passed");
  });

  it("terminates only the diagnosed idle transaction, never a superuser's", async () => {
    const idleApp = await open("fault-idle");
    await idleApp.query("BEGIN; SELECT * FROM accounts FOR UPDATE");
    const idleAdmin = await open("admin-console", url);
    await idleAdmin.query("BEGIN; SELECT 1");
    await sleep(1_300);
    const found = issuesOf(await runCheck(dbIdleInTransaction, url, { idleSeconds: 1 }));
    expect(found.map((i) => i.evidence.application).sort()).toEqual(["admin-console", "fault-idle"]);
    expect(found.find((i) => i.evidence.application === "admin-console")?.severity).toBe("medium"); // no locks held

    const superusers = found.filter((i) => i.evidence.holderSuperuser === true);
    expect(superusers.map((i) => i.evidence.application)).toEqual(["admin-console"]);
    for (const issue of superusers) {
      expect(dbTerminateIdleInTransaction.plan({ id: "i", code: "db.idle_in_transaction", subject: issue.subject, evidence: issue.evidence })).toBeNull(); // not offered
    }
    for (const issue of found.filter((i) => i.evidence.holderSuperuser === false)) {
      expect(await planAndApply(dbTerminateIdleInTransaction as FixActionDef<never>, "db.idle_in_transaction", issue, url)).toMatchObject({ ok: true, detail: expect.stringContaining("Terminated session") });
    }
    await expect(idleApp.query("SELECT 1")).rejects.toThrow();
    await expect(idleAdmin.query("SELECT 1")).resolves.toBeTruthy(); // superuser session left alone
    await idleAdmin.query("ROLLBACK");
  });

  it("does not call sessions fine when it cannot see them: a role without pg_read_all_stats gets skipped", async () => {
    const hidden = await open("admin-console", url); // a superuser's session, invisible to app_user
    await hidden.query("BEGIN; SELECT 1");
    await sleep(1_300);
    expect((await runCheck(dbIdleInTransaction, url, { idleSeconds: 1 })).status).toBe("issues"); // seen by a superuser
    expect(await runCheck(dbIdleInTransaction, appUrl, { idleSeconds: 1 })).toMatchObject({ status: "skipped", reason: expect.stringContaining("hidden from this role") });
    expect((await runCheck(dbLongRunningQuery, appUrl, { mediumSeconds: 1 })).status).toBe("skipped");
    expect((await runCheck(dbBlockedQueries, appUrl, { waitSeconds: 1 })).status).toBe("skipped");
    await hidden.query("ROLLBACK");
    await hidden.end();
  });

  it("counts a real deadlock since the previous run", async () => {
    const memory = memoryForTest();
    expect(await runCheck(dbDeadlocks, url, {}, memory)).toMatchObject({ status: "skipped", reason: expect.stringContaining("baseline") });
    expect((await runCheck(dbDeadlocks, url, {}, memory)).status).toBe("passed");

    const a = await open("deadlock-a");
    const b = await open("deadlock-b");
    await a.query("BEGIN; UPDATE accounts SET balance = 1 WHERE id = 1");
    await b.query("BEGIN; UPDATE accounts SET balance = 2 WHERE id = 2");
    const first = a.query("UPDATE accounts SET balance = 1 WHERE id = 2").then(() => "ok", (e: Error) => e.message);
    await sleep(100);
    const second = await b.query("UPDATE accounts SET balance = 2 WHERE id = 1").then(() => "ok", (e: Error) => e.message);
    const outcomes = [await first, second];
    expect(outcomes.filter((o) => o.includes("deadlock detected"))).toHaveLength(1);
    await a.query("ROLLBACK");
    await b.query("ROLLBACK");

    // the counter is flushed by the backend shortly after
    const issues = issuesOf(await eventually(() => runCheck(dbDeadlocks, url, {}, memory), (o) => o.status === "issues"));
    expect(issues[0]).toMatchObject({ severity: "medium", evidence: { deadlocksSinceLastRun: 1 } });
  });

  it("measures round trips through a slow network", async () => {
    expect((await runCheck(dbConnectionLatency, url)).status).toBe("passed");
    const proxy = await startDelayProxy(Number(new URL(url).port), 60);
    try {
      const slow = new URL(url);
      slow.port = String(proxy.port);
      const [issue] = issuesOf(await runCheck(dbConnectionLatency, slow.toString()));
      expect(issue?.severity).toBe("high");
      expect(issue?.evidence.medianMs).toBeGreaterThan(100);
    } finally {
      await proxy.close();
    }
  });

  it("reports a server that does not listen as unreachable (critical), and the other checks as skipped", async () => {
    const closed = new URL(url);
    closed.port = String(await freePort());
    const [issue] = issuesOf(await runCheck(dbUnreachable, closed.toString()));
    expect(issue).toMatchObject({ severity: "critical", evidence: { errorCode: "unreachable" } });
    expect(JSON.stringify(issue)).not.toContain(new URL(url).password);
    expect(await runCheck(dbIdleInTransaction, closed.toString())).toMatchObject({ status: "skipped", reason: expect.stringContaining("see db.unreachable") });
  });

  it("tells rejected credentials from an unreachable server, without echoing the password", async () => {
    const wrong = new URL(appUrl);
    wrong.password = "not-the-password";
    const [issue] = issuesOf(await runCheck(dbAuthFailed, wrong.toString()));
    expect(issue).toMatchObject({ severity: "critical", evidence: { user: "app_user", errorCode: "auth_failed" } });
    expect(JSON.stringify(issue)).not.toContain("not-the-password");
    expect((await runCheck(dbUnreachable, wrong.toString())).status).toBe("passed");
    expect((await runCheck(dbAuthFailed, url)).status).toBe("passed");
  });
});
