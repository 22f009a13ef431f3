// Cancelling and terminating sessions, or vacuuming a table, is offered only when the diagnosing
// role may do it, and apply reports success only when the query or session really ended. Real
// sessions, real roles.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, withClient } from "../../../../fixtures/test/databases";
import { type Session, asAppRole, asLoginRole, eventually, issuesOf, planAndApply, runCheck, session, sleep } from "../../../../fixtures/test/checks";
import type { FixActionDef, FixContext, IssueDraft } from "../../catalogue";
import { candidateFixes } from "../../fixes";
import { dbCancelQuery } from "../../fixes/database/cancel-query";
import { dbTerminateBlockingSession } from "../../fixes/database/terminate-blocking-session";
import { dbTerminateIdleInTransaction } from "../../fixes/database/terminate-idle-in-transaction";
import { dbVacuumTable } from "../../fixes/database/vacuum-table";
import { dbBlockedQueries } from "./blocked-queries";
import { dbIdleInTransaction } from "./idle-in-transaction";
import { dbLongRunningQuery } from "./long-running-query";
import { dbTableBloat } from "./table-bloat";

let url: string; // a superuser
let appUrl: string; // app_user, the application's role
let viewerUrl: string; // a non-superuser monitoring role that sees every session (pg_read_all_stats)
const opened: Session[] = [];
const open = async (as: string, name: string) => {
  const client = await session(as, name);
  opened.push(client);
  return client;
};

/** Roles are shared by the whole test server: this file's viewer role is its own, so granting it
 * pg_read_all_stats or pg_signal_backend changes nothing for other files (app_user must stay
 * unable to see other roles' sessions for sessions.test.ts). */
const viewerRole = (databaseUrl: string) =>
  asLoginRole(databaseUrl, "precond_viewer", "precond-viewer-pw", "", "GRANT pg_read_all_stats TO precond_viewer; REVOKE pg_signal_backend FROM precond_viewer");

async function asSuperuser(statement: string) {
  await withClient(url, (admin) => admin.query(statement));
}

const view = (code: string, issue: IssueDraft) => ({ id: "i", code, subject: issue.subject, evidence: issue.evidence });
const fixContext = (databaseUrl: string): FixContext => ({
  target: { baseUrl: "http://127.0.0.1:9", databaseUrl, endpoints: [], browser: false },
  signal: AbortSignal.timeout(20_000),
  integrations: {},
  credentials: null,
});
const alive = (client: Session) => client.query("SELECT 1").then(() => true, () => false);

beforeAll(async () => {
  url = await createTestDatabase({ migrate: false });
  appUrl = await asAppRole(url);
  viewerUrl = await viewerRole(url);
  await asSuperuser("CREATE TABLE ledger (id int PRIMARY KEY, amount int); INSERT INTO ledger VALUES (1, 0), (2, 0); GRANT ALL ON ledger TO app_user");
});
afterAll(async () => {
  await Promise.all(opened.map((c) => c.end().catch(() => {})));
  await asSuperuser("REVOKE pg_signal_backend FROM precond_viewer").catch(() => {});
});

describe("cancel and terminate only when they can succeed", () => {
  it("a superuser's long-running query seen by a non-superuser: no cancel planned, the advice says why and what a superuser would run; a forced apply refuses", async () => {
    const dba = await open(url, "dba-report");
    const running = dba.query("SELECT pg_sleep(30)").then(() => "finished", (e: Error) => e.message);
    await sleep(1_300);

    const [issue] = issuesOf(await runCheck(dbLongRunningQuery, viewerUrl, { mediumSeconds: 1 })).filter((i) => i.evidence.pid === dba.pid);
    expect(issue?.evidence).toMatchObject({ holderRole: "postgres", holderSuperuser: true, diagnosingRole: "precond_viewer", mayCancel: false });
    expect(dbCancelQuery.plan(view("db.long_running_query", issue!))).toBeNull();
    const offered = candidateFixes(view("db.long_running_query", issue!));
    expect(offered.map((f) => f.action.code)).toEqual(["db.advise_signal_session"]);
    const steps = (offered[0]?.params as { steps: string }).steps;
    expect(steps).toContain("only a superuser may signal a superuser's backend (precond_viewer is not one)");
    expect(steps).toContain(`SELECT pg_cancel_backend(pid) FROM pg_stat_activity WHERE pid = ${dba.pid} AND query_start = '${String(issue!.evidence.queryStart)}'::timestamptz;`);

    // An approval from an older plan must not read as done: apply says precisely why it did nothing.
    const forced = await dbCancelQuery.apply({ pid: dba.pid, queryStart: String(issue!.evidence.queryStart) }, fixContext(viewerUrl));
    expect(forced).toEqual({ ok: false, effect: "none", detail: expect.stringContaining("Not canceled: the session belongs to superuser role postgres") });

    // Seen by a superuser, the same session is still not offered: Troubleshooter never signals a superuser's backend.
    const [bySuper] = issuesOf(await runCheck(dbLongRunningQuery, url, { mediumSeconds: 1 })).filter((i) => i.evidence.pid === dba.pid);
    expect(bySuper?.evidence).toMatchObject({ holderSuperuser: true, mayCancel: true });
    expect(dbCancelQuery.plan(view("db.long_running_query", bySuper!))).toBeNull();
    expect((candidateFixes(view("db.long_running_query", bySuper!))[0]?.params as { steps: string }).steps).toContain("Troubleshooter never signals a superuser's backend");
    expect(await dbCancelQuery.apply({ pid: dba.pid, queryStart: String(bySuper!.evidence.queryStart) }, fixContext(url))).toMatchObject({ ok: false });

    await sleep(200);
    expect(await Promise.race([running, sleep(300).then(() => "still running")])).toBe("still running");
    await asSuperuser(`SELECT pg_cancel_backend(${dba.pid})`);
    expect(await running).toMatch(/canceling statement due to user request/);
  });

  it("a superuser's idle transaction seen by a non-superuser: no terminate planned; from the superuser URL an app-role session is terminated for real", async () => {
    const dba = await open(url, "dba-console");
    await dba.query("BEGIN; SELECT 1");
    const app = await open(appUrl, "app-idle");
    await app.query("BEGIN; SELECT * FROM ledger FOR UPDATE");
    await sleep(1_300);

    const seen = issuesOf(await runCheck(dbIdleInTransaction, viewerUrl, { idleSeconds: 1 }));
    const fromViewer = seen.find((i) => i.evidence.pid === dba.pid);
    expect(fromViewer?.evidence).toMatchObject({ holderSuperuser: true, mayTerminate: false });
    expect(dbTerminateIdleInTransaction.plan(view("db.idle_in_transaction", fromViewer!))).toBeNull();
    expect(candidateFixes(view("db.idle_in_transaction", fromViewer!)).map((f) => f.action.code)).toEqual(["db.advise_signal_session"]);
    expect(await dbTerminateIdleInTransaction.apply({ pid: dba.pid, xactStart: String(fromViewer!.evidence.xactStart) }, fixContext(viewerUrl))).toEqual({
      ok: false,
      effect: "none",
      detail: expect.stringContaining("only a superuser may signal a superuser's backend"),
    });
    expect(await alive(dba)).toBe(true);

    // The app role's session, seen by the superuser: planned, and ended for real.
    const fromSuper = issuesOf(await runCheck(dbIdleInTransaction, url, { idleSeconds: 1 })).find((i) => i.evidence.pid === app.pid);
    expect(fromSuper?.evidence).toMatchObject({ holderRole: "app_user", holderSuperuser: false, mayTerminate: true });
    expect(await planAndApply(dbTerminateIdleInTransaction as FixActionDef<never>, "db.idle_in_transaction", fromSuper!, url)).toEqual({
      ok: true,
      detail: expect.stringContaining(`Terminated session ${app.pid}`),
    });
    expect(await alive(app)).toBe(false);
    // Applied again (a second approval), it is already gone, and says so.
    expect(await planAndApply(dbTerminateIdleInTransaction as FixActionDef<never>, "db.idle_in_transaction", fromSuper!, url)).toEqual({
      ok: true,
      effect: "none",
      detail: expect.stringContaining("already ended"),
    });
    await dba.query("ROLLBACK");
  });

  it("another role's session: not offered without membership or pg_signal_backend; with pg_signal_backend, offered and ended", async () => {
    const app = await open(appUrl, "app-idle-2");
    await app.query("BEGIN; UPDATE ledger SET amount = amount + 1 WHERE id = 2");
    await sleep(1_300);

    const [before] = issuesOf(await runCheck(dbIdleInTransaction, viewerUrl, { idleSeconds: 1 })).filter((i) => i.evidence.pid === app.pid);
    expect(before?.evidence).toMatchObject({ holderRole: "app_user", holderSuperuser: false, diagnosingRole: "precond_viewer", mayTerminate: false });
    expect(dbTerminateIdleInTransaction.plan(view("db.idle_in_transaction", before!))).toBeNull();
    const steps = (candidateFixes(view("db.idle_in_transaction", before!))[0]?.params as { steps: string }).steps;
    expect(steps).toContain("precond_viewer may not signal backends of role app_user: that needs the privileges of role app_user or membership of pg_signal_backend");
    expect(steps).toContain(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE pid = ${app.pid} AND xact_start = `);
    expect(await dbTerminateIdleInTransaction.apply({ pid: app.pid, xactStart: String(before!.evidence.xactStart) }, fixContext(viewerUrl))).toMatchObject({ ok: false });
    expect(await alive(app)).toBe(true); // (a query: idle again from now on)

    await asSuperuser("GRANT pg_signal_backend TO precond_viewer");
    await sleep(1_300);
    const [after] = issuesOf(await runCheck(dbIdleInTransaction, viewerUrl, { idleSeconds: 1 })).filter((i) => i.evidence.pid === app.pid);
    expect(after?.evidence).toMatchObject({ mayTerminate: true });
    expect(candidateFixes(view("db.idle_in_transaction", after!)).map((f) => f.action.code)).toEqual(["db.terminate_idle_in_transaction"]);
    expect(await planAndApply(dbTerminateIdleInTransaction as FixActionDef<never>, "db.idle_in_transaction", after!, viewerUrl)).toMatchObject({ ok: true });
    expect(await alive(app)).toBe(false);
    await asSuperuser("REVOKE pg_signal_backend FROM precond_viewer");
  });

  it("a lock held by a superuser's transaction: the blocking session is not offered for termination to a non-superuser", async () => {
    const dba = await open(url, "dba-migration");
    await dba.query("BEGIN; UPDATE ledger SET amount = amount + 1 WHERE id = 1");
    const waiter = await open(appUrl, "app-waiter");
    const waited = waiter.query("UPDATE ledger SET amount = amount + 10 WHERE id = 1").then(() => "done", (e: Error) => e.message);
    await sleep(1_300);

    const [blocked] = issuesOf(await runCheck(dbBlockedQueries, viewerUrl, { waitSeconds: 1 }));
    expect(blocked?.evidence).toMatchObject({ rootPid: dba.pid, holderRole: "postgres", holderSuperuser: true, mayTerminate: false });
    expect(dbTerminateBlockingSession.plan(view("db.blocked_queries", blocked!))).toBeNull();
    const offered = candidateFixes(view("db.blocked_queries", blocked!));
    expect(offered.map((f) => f.action.code)).toEqual(["db.advise_signal_session"]);
    expect((offered[0]?.params as { steps: string }).steps).toContain(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE pid = ${dba.pid} AND xact_start = `);
    await dba.query("ROLLBACK");
    expect(await waited).toBe("done");
  });

  it("cancels an app-role query for real, and reports success only once the query has ended", async () => {
    const app = await open(appUrl, "app-report");
    const running = app.query("SELECT pg_sleep(30)").then(() => "finished", (e: Error) => e.message);
    await sleep(1_300);
    const [issue] = issuesOf(await runCheck(dbLongRunningQuery, url, { mediumSeconds: 1 })).filter((i) => i.evidence.pid === app.pid);
    expect(issue?.evidence).toMatchObject({ holderSuperuser: false, mayCancel: true });
    expect(await planAndApply(dbCancelQuery as FixActionDef<never>, "db.long_running_query", issue!, url)).toEqual({ ok: true, detail: expect.stringContaining(`Cancelled the query of backend ${app.pid}`) });
    expect(await running).toMatch(/canceling statement due to user request/);
    expect(await alive(app)).toBe(true); // a cancel keeps the session
    // The diagnosed query is over: applied again, nothing is cancelled and it says so.
    expect(await planAndApply(dbCancelQuery as FixActionDef<never>, "db.long_running_query", issue!, url)).toEqual({ ok: true, effect: "none", detail: expect.stringContaining("already ended") });
  });
});

describe("table maintenance", () => {
  it("is not offered on a table this role may not VACUUM, and is once GRANT MAINTAIN gives it the right", async () => {
    const owner = await open(url, "owner");
    await owner.query("CREATE TABLE owned_elsewhere (id int PRIMARY KEY, note text) WITH (autovacuum_enabled = false)");
    await owner.query("INSERT INTO owned_elsewhere SELECT g, 'x' FROM generate_series(1, 30000) g");
    await owner.query("DELETE FROM owned_elsewhere WHERE id <= 20000");
    await owner.query("SELECT pg_stat_force_next_flush()");
    const bloated = async () => {
      const outcome = await runCheck(dbTableBloat, viewerUrl);
      return outcome.status === "issues" ? outcome.issues.find((i) => i.subject === "public.owned_elsewhere") : undefined;
    };
    const before = await eventually(bloated, (issue) => issue !== undefined);
    expect(before).toMatchObject({ evidence: { mayMaintain: false }, recommendation: expect.stringContaining("This role may not do it") });
    const view = (issue: IssueDraft) => ({ id: "i", code: "db.table_bloat", subject: issue.subject, evidence: issue.evidence });
    expect(candidateFixes(view(before!)).map((f) => f.action.code)).not.toContain("db.vacuum_table");

    await owner.query("GRANT MAINTAIN ON owned_elsewhere TO precond_viewer");
    const after = await bloated();
    expect(after?.evidence.mayMaintain).toBe(true);
    expect(candidateFixes(view(after!)).map((f) => f.action.code)).toContain("db.vacuum_table");
    expect(await planAndApply(dbVacuumTable as FixActionDef<never>, "db.table_bloat", after!, viewerUrl)).toMatchObject({ ok: true });
  });
});
