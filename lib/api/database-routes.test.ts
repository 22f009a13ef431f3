// The live database view against a real blocking chain (two sessions of a non-superuser role, one
// holding a lock the other waits for), and the confirmed cancel through the API.
import { randomUUID } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createTestDatabase, withClient } from "../../fixtures/test/databases";
import { type AddonContext, createAddonContext } from "../mount/context";
import type { LiveDatabaseView } from "../troubleshooting/queries/live-database";
import { readLiveDatabase } from "../troubleshooting/queries/live-database";
import { apiHandler } from "./dispatch";

const APP = "http://troubleshooter.test";
const API = `${APP}/api/admin/bots`;

let addon: AddonContext;
let handle: (req: Request) => Promise<Response>;
let appUrl: string;
let viewerUrl: string;
const clients: pg.Client[] = [];

/** `url` with another user and password. */
const as = (url: string, user: string) => {
  const u = new URL(url);
  u.username = user;
  u.password = "live-pw";
  return u.toString();
};

beforeAll(async () => {
  const platformUrl = await createTestDatabase({ migrate: false });
  const suffix = randomUUID().slice(0, 8);
  const [app, viewer] = [`live_app_${suffix}`, `live_viewer_${suffix}`];
  await withClient(`${inject("pgServerUrl")}/postgres`, async (sql) => {
    await sql.query(`CREATE ROLE ${app} LOGIN PASSWORD 'live-pw'`);
    await sql.query(`CREATE ROLE ${viewer} LOGIN PASSWORD 'live-pw'`);
  });
  appUrl = as(platformUrl, app);
  viewerUrl = as(platformUrl, viewer);
  addon = createAddonContext({
    databaseUrl: await createTestDatabase(), secret: "live-database-test-".padEnd(40, "s"), appUrl: APP,
    target: { baseUrl: "http://127.0.0.1:9", databaseUrl: platformUrl },
    authorize: async ({ headers }) => {
      const who = headers.get("x-test-user");
      return who === "admin" ? { id: "admin-1", email: "dba@example.test" } : who === "viewer" ? "forbidden" : null;
    },
  });
  handle = apiHandler(addon);
});
afterAll(async () => {
  await Promise.all(clients.map((c) => c.end().catch(() => {})));
  await addon.close();
});

const call = (method: string, path: string, body?: unknown, who: string | null = "admin") =>
  handle(new Request(`${API}${path}`, { method, headers: { "content-type": "application/json", ...(who ? { "x-test-user": who } : {}) }, body: body === undefined ? undefined : JSON.stringify(body) }));

async function session(url: string, application: string): Promise<{ client: pg.Client; pid: number }> {
  const client = new pg.Client({ connectionString: url, application_name: application });
  client.on("error", () => {});
  await client.connect();
  clients.push(client);
  const { rows } = await client.query<{ pid: number }>("SELECT pg_backend_pid() AS pid");
  return { client, pid: rows[0]!.pid };
}

/** A blocker holding advisory lock `key` while it sleeps, and a session waiting for that lock. */
async function blockingChain(key: number) {
  const blocker = await session(appUrl, "live-blocker");
  const blocked = await session(appUrl, "live-blocked");
  const blockerDone = blocker.client.query("SELECT pg_advisory_xact_lock($1), pg_sleep(60)", [key]).then(() => "finished", (e: Error) => e.message);
  await expect.poll(() => withClient(appUrl, async (sql) => (await sql.query("SELECT 1 FROM pg_locks WHERE pid = $1 AND locktype = 'advisory' AND granted", [blocker.pid])).rowCount)).toBe(1);
  const blockedDone = blocked.client.query("SELECT pg_advisory_xact_lock($1)", [key]).then(() => "finished", (e: Error) => e.message);
  await expect.poll(() => withClient(appUrl, async (sql) => (await sql.query("SELECT 1 FROM pg_stat_activity WHERE pid = $1 AND wait_event_type = 'Lock'", [blocked.pid])).rowCount)).toBe(1);
  return { blocker, blocked, blockerDone, blockedDone };
}

describe("the live database view", () => {
  it("shows the sessions with their ages and waits, the blocking chain root first, and cancels the blocker once confirmed", async () => {
    const { blocker, blocked, blockerDone, blockedDone } = await blockingChain(4242);
    await new Promise((resolve) => setTimeout(resolve, 1_100)); // ages of a second or more

    const res = await call("GET", "/database/live");
    expect(res.status).toBe(200);
    const view = (await res.json()) as LiveDatabaseView & { target: { name: string } };
    expect(view.target.name).toBe("default");
    expect(view.chains).toEqual([{ pid: blocker.pid, blocks: [{ pid: blocked.pid, blocks: [] }] }]);
    const root = view.sessions.find((s) => s.pid === blocker.pid)!;
    const waiter = view.sessions.find((s) => s.pid === blocked.pid)!;
    expect(root).toMatchObject({ application: "live-blocker", state: "active", visible: true, query: "SELECT pg_advisory_xact_lock($1), pg_sleep(?)", blockedBy: [], maySignal: true });
    expect(root.queryAgeSeconds).toBeGreaterThanOrEqual(1);
    expect(root.xactAgeSeconds).toBeGreaterThanOrEqual(1);
    expect(waiter).toMatchObject({ state: "active", waitEventType: "Lock", waitEvent: "advisory", blockedBy: [blocker.pid] });
    // Our own reading session is not among them.
    expect(view.sessions.every((s) => !s.application.startsWith("troubleshooter-"))).toBe(true);

    const action = await call("POST", "/database/sessions/actions", { pid: blocker.pid, action: "cancel", since: root.queryStart });
    expect(action.status).toBe(200);
    expect(await action.json()).toMatchObject({ pid: blocker.pid, result: "applied", fix: "db.cancel_query", target: "default" });
    expect(await blockerDone).toBe("canceling statement due to user request");
    expect(await blockedDone).toBe("finished");

    const again = (await (await call("POST", "/database/sessions/actions", { pid: blocker.pid, action: "cancel", since: root.queryStart })).json()) as { result: string; detail: string };
    expect(again.result).toBe("no_effect");
    expect(again.detail).toMatch(/no longer running that query/);

    const after = (await (await call("GET", "/database/live")).json()) as LiveDatabaseView;
    expect(after.chains).toEqual([]);
    const audit = await addon.prisma().auditLog.findMany({ where: { action: "database.cancel_query" }, orderBy: { id: "asc" } });
    expect(audit).toHaveLength(2);
    expect(audit[0]).toMatchObject({ actorEmail: "dba@example.test", targetType: "database_session", targetId: String(blocker.pid), detail: { target: "default", result: "applied", user: expect.stringMatching(/^live_app_/), query: "SELECT pg_advisory_xact_lock($1), pg_sleep(?)" } });
  });

  it("says which sessions the role may not see, rather than showing them without a query", async () => {
    const { blocker, blockerDone } = await blockingChain(4343);
    const view = await readLiveDatabase(viewerUrl, AbortSignal.timeout(10_000));
    expect(view.seesAll).toBe(false);
    const hidden = view.sessions.find((s) => s.pid === blocker.pid)!;
    expect(hidden).toMatchObject({ visible: false, query: null, state: null, queryAgeSeconds: null, maySignal: false });
    expect(view.hidden).toBeGreaterThanOrEqual(2);
    await withClient(appUrl, (sql) => sql.query("SELECT pg_cancel_backend($1)", [blocker.pid]));
    expect(await blockerDone).toMatch(/canceling statement/);
  });

  it("refuses strangers (401), non-admins (403), a pid that is not an integer (422) and unknown targets (404)", async () => {
    const body = { pid: 123, action: "cancel", since: "2026-01-01T00:00:00.000000Z" };
    expect((await call("POST", "/database/sessions/actions", body, null)).status).toBe(401);
    expect((await call("POST", "/database/sessions/actions", body, "viewer")).status).toBe(403);
    expect((await call("GET", "/database/live", undefined, "viewer")).status).toBe(403);
    for (const pid of ["123; SELECT pg_terminate_backend(1)", 1.5, -1]) {
      const res = await call("POST", "/database/sessions/actions", { ...body, pid });
      expect(res.status).toBe(422);
      expect(((await res.json()) as { error: { fields: Record<string, unknown> } }).error.fields.pid).toBeDefined();
    }
    expect((await call("POST", "/database/sessions/actions", { ...body, action: "drop" })).status).toBe(422);
    expect((await call("GET", "/database/live?target=nope")).status).toBe(404);
    expect(await addon.prisma().auditLog.count({ where: { targetId: "123" } })).toBe(0);
  });
});
