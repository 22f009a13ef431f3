// Advisory locks created for real: Prisma Migrate's lock left with an idle session (a dead deploy)
// holds the product's real migrate step (Prisma's schema engine) until the fix ends the holder; a leader
// lock nobody waits for is normal; another role may not end a superuser's session.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { applyMigrations } from "../../../../scripts/lib/migrations";
import { createTestDatabase } from "../../../../fixtures/test/databases";
import { type Session, asAppRole, eventually, issuesOf, planAndApply, runCheck, session, sleep } from "../../../../fixtures/test/checks";
import type { FixActionDef } from "../../catalogue";
import { dbAdviseLockHolder, dbTerminateLockHolder } from "../../fixes/database/terminate-lock-holder";
import { PRISMA_MIGRATE_LOCK_KEY, dbAdvisoryLocks } from "./advisory-locks";

let url: string;
let appUrl: string;
const opened: Session[] = [];
const open = async (name: string, as: string) => {
  const client = await session(as, name);
  opened.push(client);
  return client;
};
const IDLE = { idleSeconds: 1 };
const view = (draft: { subject: string; evidence: Record<string, unknown> }) => ({ id: "i", code: "db.advisory_locks", subject: draft.subject, evidence: draft.evidence });

beforeAll(async () => {
  url = await createTestDatabase({ migrate: false });
  appUrl = await asAppRole(url);
});
afterAll(async () => {
  await Promise.all(opened.map((c) => c.end().catch(() => {})));
});

describe("db.advisory_locks", () => {
  it("names the idle session holding Prisma Migrate's lock and the deploy waiting behind it; the approved fix lets the deploy through", async () => {
    const deadDeploy = await open("prisma-migrate-deploy", appUrl);
    await deadDeploy.query(`SELECT pg_advisory_lock(${PRISMA_MIGRATE_LOCK_KEY})`);
    await sleep(1_200);
    const [alone] = issuesOf(await runCheck(dbAdvisoryLocks, url, IDLE));
    expect(alone).toMatchObject({
      severity: "high",
      title: expect.stringContaining("Prisma Migrate's advisory lock"),
      evidence: { pid: deadDeploy.pid, application: "prisma-migrate-deploy", user: "app_user", lockKey: String(PRISMA_MIGRATE_LOCK_KEY), prismaMigrateLock: true, waitingPids: [], mayTerminate: true },
    });

    // The next deploy: Prisma's real schema engine waits for the lock.
    let migrated = false;
    const deploying = applyMigrations(url).then(() => (migrated = true));
    const waiting = await eventually(() => runCheck(dbAdvisoryLocks, url, IDLE), (o) => o.status === "issues" && (o.issues[0]?.evidence.waitingPids as number[]).length > 0);
    const [issue] = issuesOf(waiting);
    expect(issue?.description).toContain("1 session(s) are waiting for it");
    expect(migrated).toBe(false);

    expect(dbAdviseLockHolder.plan(view(issue!))).toBeNull();
    const result = await planAndApply(dbTerminateLockHolder as FixActionDef<never>, "db.advisory_locks", issue!, url);
    expect(result).toMatchObject({ ok: true, detail: expect.stringContaining(`Ended session ${deadDeploy.pid}`) });
    await deploying;
    expect(migrated).toBe(true);
    expect((await runCheck(dbAdvisoryLocks, url, IDLE)).status).toBe("passed");
  });

  it("leaves a leader lock alone until sessions wait for it, then reports the holder and its waiters", async () => {
    const leader = await open("worker-leader", appUrl);
    await leader.query("SELECT pg_advisory_lock(42)");
    await sleep(1_200);
    expect((await runCheck(dbAdvisoryLocks, url, IDLE)).status).toBe("passed");

    const follower = await open("worker-follower", appUrl);
    const waited = follower.query("SELECT pg_advisory_lock(42)").then(() => "locked", (e: Error) => e.message);
    await sleep(300);
    const [issue] = issuesOf(await runCheck(dbAdvisoryLocks, url, IDLE));
    expect(issue).toMatchObject({ severity: "medium", evidence: { pid: leader.pid, lockKey: "42", prismaMigrateLock: false, waitingPids: [follower.pid] } });
    await leader.query("SELECT pg_advisory_unlock(42)");
    expect(await waited).toBe("locked");
  });

  it("does not offer ending a superuser's session to the application role, and says why", async () => {
    const admin = await open("psql-admin", url);
    await admin.query(`SELECT pg_advisory_lock(${PRISMA_MIGRATE_LOCK_KEY})`);
    const grant = await open("grant", url);
    await grant.query("GRANT pg_read_all_stats TO app_user"); // so the app role sees the holder at all
    await sleep(1_200);

    const [issue] = issuesOf(await runCheck(dbAdvisoryLocks, appUrl, IDLE));
    expect(issue).toMatchObject({ evidence: { pid: admin.pid, holderSuperuser: true, mayTerminate: false } });
    expect(dbTerminateLockHolder.plan(view(issue!))).toBeNull();
    expect(dbAdviseLockHolder.plan(view(issue!))?.steps).toContain(`it belongs to a superuser`);
    // Applied anyway (approved, then the holder changed): refused with the reason, not "done".
    const params = { pid: admin.pid, backendStart: String(issue!.evidence.backendStart), lockKey: String(PRISMA_MIGRATE_LOCK_KEY) };
    const forced = await dbTerminateLockHolder.apply(params, { target: { baseUrl: "http://127.0.0.1:9", databaseUrl: appUrl, endpoints: [], browser: false }, signal: AbortSignal.timeout(10_000), integrations: {}, credentials: null });
    expect(forced).toMatchObject({ ok: false, detail: expect.stringContaining("superuser") });
    await admin.query(`SELECT pg_advisory_unlock(${PRISMA_MIGRATE_LOCK_KEY})`);
    await grant.query("REVOKE pg_read_all_stats FROM app_user");
  });
});
