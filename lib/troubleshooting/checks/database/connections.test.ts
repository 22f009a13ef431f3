// Connection slots filling up, for real, on a server of its own (other test files share theirs).
import { mkdtemp } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Session, asAppRole, issuesOf, planAndApply, runCheck, session } from "../../../../fixtures/test/checks";
import { type EmbeddedServer, freePort, startEmbeddedPostgres } from "../../../../scripts/lib/embedded-postgres";
import type { FixActionDef } from "../../catalogue";
import { dbTerminateIdleConnections } from "../../fixes/database/terminate-idle-connections";
import { closeProbeSessions } from "../../probes/database";
import { dbConnectionsNearLimit } from "./connections-near-limit";

let server: EmbeddedServer;
let url: string;
const sessions: Session[] = [];

beforeAll(async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), "troubleshooter-conn-"));
  server = await startEmbeddedPostgres({ dataDir: path.join(dir, "pg"), port: await freePort(), password: "conn-pw", database: "shop", persistent: false });
  url = server.url;
});
afterAll(async () => {
  await Promise.all(sessions.map((s) => s.end().catch(() => {})));
  await closeProbeSessions();
  await server.stop();
});

describe("connections near the limit", () => {
  it("finds the slots filling up, with a breakdown, and closing the app's idle sessions frees them", async () => {
    const thresholds = { medium: 0.12, critical: 0.5 };
    expect((await runCheck(dbConnectionsNearLimit, url, thresholds)).status).toBe("passed");
    const appUrl = await asAppRole(url);
    for (let i = 0; i < 14; i++) sessions.push(await session(appUrl, "leaky-pool"));
    const busy = await session(url, "admin-console"); // a superuser's session is never closed
    sessions.push(busy);

    // Diagnosed and fixed with the application's own credentials, as a deployment would be.
    const outcome = await runCheck(dbConnectionsNearLimit, appUrl, thresholds);
    const [issue] = issuesOf(outcome);
    expect(issue).toMatchObject({ severity: "medium", evidence: { maxConnections: 100, mediumThreshold: 0.12, appRole: "app_user", inUse: 15, hiddenSessions: 1 } });
    expect(issue?.evidence.breakdown).toContainEqual({ state: "idle", application: "leaky-pool", count: 14 });
    // Who holds them: the app's pool, and a superuser's session the app role sees only as hidden.
    expect(issue?.evidence.holders).toEqual([
      { role: "app_user", application: "leaky-pool", count: 14, idle: 14, active: 0, idleInTransaction: 0, hidden: 0 },
      { role: "postgres", application: "admin-console", count: 1, idle: 0, active: 0, idleInTransaction: 0, hidden: 1 },
    ]);
    expect(outcome).toMatchObject({ note: expect.stringContaining('GRANT pg_monitor TO "app_user"') });

    const result = await planAndApply(dbTerminateIdleConnections as FixActionDef<never>, "db.connections_near_limit", issue!, appUrl);
    expect(result).toMatchObject({ ok: true, detail: expect.stringContaining("idle session(s) of role app_user") });
    expect((await runCheck(dbConnectionsNearLimit, appUrl, thresholds)).status).toBe("passed");
    await expect(busy.query("SELECT 1")).resolves.toBeTruthy();
  });
});
