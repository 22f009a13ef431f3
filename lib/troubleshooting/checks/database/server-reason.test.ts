// The server's own reason, for real: a server with 6 connection slots filled by an application
// role's sessions (53300 in both wordings), a role and a database at their CONNECTION LIMIT, a
// wrong password (28P01), pg_hba.conf with no entry (28000), and pg_stat_statements read by a
// role that cannot see other roles' statement texts.
import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Session, asAppRole, issuesOf, runCheck, session, sleep } from "../../../../fixtures/test/checks";
import { type EmbeddedServer, freePort, startEmbeddedPostgres } from "../../../../scripts/lib/embedded-postgres";
import { closeProbeSessions } from "../../probes/database";
import { dbAuthFailed } from "./auth-failed";
import { dbConnectionsNearLimit } from "./connections-near-limit";
import { dbIdleInTransaction } from "./idle-in-transaction";
import { dbSlowQueries } from "./slow-queries";
import { dbUnreachable } from "./unreachable";

let server: EmbeddedServer;
let url: string;
let appUrl: string;
const opened: Session[] = [];

/** A session, retried while a slot just freed by another test step is still being released. */
async function open(as: string, application: string): Promise<Session> {
  for (let attempt = 0; ; attempt++) {
    try {
      const client = await session(as, application);
      opened.push(client);
      return client;
    } catch (err) {
      if ((err as { code?: string }).code !== "53300" || attempt >= 20) throw err;
      await sleep(100);
    }
  }
}

async function closeAll() {
  await closeProbeSessions();
  await Promise.all(opened.splice(0).map((c) => c.end().catch(() => {})));
  await sleep(200); // backends exit a moment after their client hangs up
}

async function asRole(name: string, password: string, options = ""): Promise<string> {
  const admin = await open(url, "setup");
  await admin.query(`CREATE ROLE ${name} LOGIN PASSWORD '${password}' ${options}; GRANT CONNECT ON DATABASE shop TO ${name}`);
  await closeAll();
  const u = new URL(url);
  u.username = name;
  u.password = password;
  return u.toString();
}

beforeAll(async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), "troubleshooter-reason-"));
  // 6 slots, 1 kept for superusers (PostgreSQL 18 also has reserved_connections, default 0):
  // an application role gets 5. Background workers have slots of their own.
  server = await startEmbeddedPostgres({
    dataDir: path.join(dir, "pg"), port: await freePort(), password: "reason-pw", database: "shop", persistent: false,
    settings: { max_connections: 6, superuser_reserved_connections: 1 },
  });
  url = server.url;
  appUrl = await asAppRole(url);
});
afterAll(async () => {
  await closeAll();
  await server.stop();
});

describe("the database bot names the server's reason", () => {
  it("reports no free connection slots (53300) with the server's words and pooler advice, and shows who holds them", async () => {
    // The app's pool takes every slot it may: idle sessions, one idle in transaction, one busy.
    let refused: { code?: string; message?: string } | null = null;
    const app: Session[] = [];
    for (let i = 0, retries = 0; i < 10 && !refused; ) {
      try {
        app.push(await session(appUrl, i === 0 ? "report-worker" : "leaky-pool"));
        i++;
      } catch (err) {
        // A refusal counts once it lasts: an earlier step's backend may still be exiting.
        if (retries++ < 5) await sleep(200);
        else refused = err as { code?: string; message?: string };
      }
    }
    opened.push(...app);
    expect(refused).toMatchObject({ code: "53300", message: "remaining connection slots are reserved for roles with the SUPERUSER attribute" });
    expect(app).toHaveLength(5);
    await app[1]!.query("BEGIN; SELECT 1");
    const busy = app[0]!.query("SELECT pg_sleep(60)").catch(() => null);

    const [full] = issuesOf(await runCheck(dbUnreachable, appUrl));
    expect(full).toMatchObject({
      severity: "critical",
      title: "No free connection slots: only the reserved ones are left",
      evidence: {
        errorCode: "too_many_connections", sqlstate: "53300", connectionLimit: "reserved", user: "app_user",
        serverMessage: "remaining connection slots are reserved for roles with the SUPERUSER attribute",
      },
    });
    expect(full?.recommendation).toMatch(/pooler.*PgBouncer.*connection_limit/s);
    expect(full?.recommendation).not.toMatch(/is running/);
    expect(JSON.stringify(full)).not.toContain("app-user-pw");
    // Checks that need a session skip, naming the cause rather than "cannot be reached".
    expect(await runCheck(dbIdleInTransaction, appUrl)).toMatchObject({ status: "skipped", reason: expect.stringContaining("SQLSTATE 53300") });

    // A superuser gets the reserved slot and sees who holds the others.
    const [near] = issuesOf(await runCheck(dbConnectionsNearLimit, url));
    expect(near).toMatchObject({ severity: "critical", evidence: { inUse: 5, usable: 5, maxConnections: 6, reserved: 1, hiddenSessions: 0 } });
    expect(near?.evidence.holders).toEqual([
      { role: "app_user", application: "leaky-pool", count: 4, idle: 3, active: 0, idleInTransaction: 1, hidden: 0 },
      { role: "app_user", application: "report-worker", count: 1, idle: 0, active: 1, idleInTransaction: 0, hidden: 0 },
    ]);
    expect(near?.description).toContain("role app_user, application leaky-pool: 4 (3 idle, 1 idle in transaction)");
    await closeProbeSessions();
    await sleep(200);

    // With the reserved slot taken too, PostgreSQL says "too many clients": max_connections itself.
    const console = await open(url, "admin-console");
    const [server] = issuesOf(await runCheck(dbUnreachable, appUrl));
    expect(server).toMatchObject({
      title: "No free connection slots: max_connections is reached",
      evidence: { sqlstate: "53300", connectionLimit: "server", serverMessage: "sorry, too many clients already" },
    });
    expect(server?.recommendation).not.toMatch(/is running/);

    await console.query("SELECT pg_terminate_backend($1)", [app[0]!.pid]); // ends the pg_sleep
    await closeAll();
    await busy;
  });

  it("names a role's and a database's CONNECTION LIMIT (53300 for the role or the database)", async () => {
    const cappedUrl = await asRole("capped", "capped-pw", "CONNECTION LIMIT 1");
    await open(cappedUrl, "capped-pool");
    const [role] = issuesOf(await runCheck(dbUnreachable, cappedUrl));
    expect(role).toMatchObject({
      severity: "critical",
      title: "Role capped has used up its CONNECTION LIMIT",
      evidence: { sqlstate: "53300", connectionLimit: "role", limitedName: "capped", serverMessage: 'too many connections for role "capped"' },
    });
    expect(role?.recommendation).toContain('ALTER ROLE "capped" CONNECTION LIMIT');
    expect(role?.recommendation).not.toMatch(/is running/);
    await closeAll();

    const admin = await open(url, "setup");
    await admin.query("CREATE DATABASE closed_shop CONNECTION LIMIT 0");
    await admin.query("GRANT CONNECT ON DATABASE closed_shop TO app_user");
    await closeAll();
    const closedShop = new URL(appUrl);
    closedShop.pathname = "/closed_shop";
    const [database] = issuesOf(await runCheck(dbUnreachable, closedShop.toString()));
    expect(database).toMatchObject({
      title: "Database closed_shop has used up its CONNECTION LIMIT",
      evidence: { sqlstate: "53300", connectionLimit: "database", limitedName: "closed_shop", serverMessage: 'too many connections for database "closed_shop"' },
    });
    expect(database?.recommendation).toContain('ALTER DATABASE "closed_shop" CONNECTION LIMIT');
  });

  it("does not error on pg_stat_statements as a plain app role: judges hidden statements by their timings and names the grant", async () => {
    await closeAll();
    const admin = await open(url, "admin-console");
    const app = await open(appUrl, "shop-app");
    await admin.query("SELECT pg_stat_statements_reset()");
    for (let i = 0; i < 3; i++) {
      await admin.query("SELECT pg_sleep(0.06), 'admin-secret', 2"); // aliases are not part of the queryid: differ in shape
      await app.query("SELECT pg_sleep(0.06), 'app-secret' AS app_side");
    }

    const outcome = await runCheck(dbSlowQueries, appUrl, { minCalls: 3, meanMs: 50 });
    const issues = issuesOf(outcome);
    expect(issues.find((i) => i.subject.startsWith("queryid:"))?.evidence.query).toBe("SELECT pg_sleep($1), $2 AS app_side");
    const hidden = issues.find((i) => i.subject === "hidden-statements:postgres");
    expect(hidden).toMatchObject({ severity: "medium", evidence: { role: "postgres", statements: 1, calls: 3, textHidden: true, viewedAs: "app_user" } });
    expect(hidden?.recommendation).toContain('GRANT pg_monitor TO "app_user"');
    expect(outcome).toMatchObject({ note: expect.stringContaining('GRANT pg_monitor TO "app_user"') });
    expect(JSON.stringify(outcome)).not.toMatch(/admin-secret|app-secret/);

    // Nothing slow: a pass that still says what the role could not read.
    const quiet = await runCheck(dbSlowQueries, appUrl, { minCalls: 3, meanMs: 60_000 });
    expect(quiet).toMatchObject({ status: "passed", note: expect.stringContaining("hidden from app_user") });

    // With pg_monitor the texts show, and nothing is hidden.
    const monitorUrl = await asRole("monitor", "monitor-pw", "IN ROLE pg_monitor");
    const seen = issuesOf(await runCheck(dbSlowQueries, monitorUrl, { minCalls: 3, meanMs: 50 }));
    expect(seen.map((i) => i.evidence.query).sort()).toEqual(["SELECT pg_sleep($1), $2 AS app_side", "SELECT pg_sleep($1), $2, $3"]);
    expect(seen.some((i) => i.subject.startsWith("hidden-statements:"))).toBe(false);
  });

  it("tells a wrong password (28P01) from pg_hba.conf refusing the client (28000), in the server's words", async () => {
    await closeAll();
    const wrong = new URL(appUrl);
    wrong.password = "not-the-password";
    const [password] = issuesOf(await runCheck(dbAuthFailed, wrong.toString()));
    expect(password).toMatchObject({
      severity: "critical",
      title: "The database rejects the application's password",
      evidence: { cause: "password", errorCode: "auth_failed", sqlstate: "28P01", serverMessage: 'password authentication failed for user "app_user"', user: "app_user" },
    });
    expect(JSON.stringify(password)).not.toContain("not-the-password");
    expect((await runCheck(dbUnreachable, wrong.toString())).status).toBe("passed");
    expect(await runCheck(dbIdleInTransaction, wrong.toString())).toMatchObject({ status: "skipped", reason: expect.stringMatching(/SQLSTATE 28P01.*see db\.auth_failed/) });

    // pg_hba.conf lets TCP clients into shop and postgres only: a third database has no entry.
    const admin = await open(url, "setup");
    await admin.query("CREATE DATABASE unlisted");
    await admin.query("GRANT CONNECT ON DATABASE unlisted TO app_user");
    const { rows } = await admin.query<{ hba_file: string }>("SHOW hba_file");
    const hbaFile = rows[0]!.hba_file;
    const original = await readFile(hbaFile, "utf8");
    await writeFile(hbaFile, original.replace(/^host\s+all\s+all\s+127\.0\.0\.1\/32\s+(\S+)/m, "host shop,postgres all 127.0.0.1/32 $1"));
    await admin.query("SELECT pg_reload_conf()");
    await closeAll();
    await sleep(300); // the postmaster rereads pg_hba.conf on SIGHUP, a moment later
    try {
      const unlisted = new URL(appUrl);
      unlisted.pathname = "/unlisted";
      const [hba] = issuesOf(await runCheck(dbAuthFailed, unlisted.toString()));
      expect(hba).toMatchObject({
        title: "pg_hba.conf refuses this client before any password is checked",
        evidence: { cause: "pg_hba", errorCode: "access_rejected", sqlstate: "28000", serverMessage: 'no pg_hba.conf entry for host "127.0.0.1", user "app_user", database "unlisted", no encryption' },
      });
      expect(hba?.recommendation).toContain("sslmode=require");
      expect((await runCheck(dbUnreachable, unlisted.toString())).status).toBe("passed");
      expect((await runCheck(dbAuthFailed, appUrl)).status).toBe("passed");
    } finally {
      await writeFile(hbaFile, original);
      const restore = new pg.Client({ connectionString: url });
      await restore.connect();
      await restore.query("SELECT pg_reload_conf()");
      await restore.end();
    }
  });
});
