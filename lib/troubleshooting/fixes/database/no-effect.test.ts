// Fixes that ran but changed nothing are recorded and reported as "no effect" with their reason,
// never "applied": real sessions and roles on a real PostgreSQL, results stored as a run stores
// them (FixAction.result) and read back through the report.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, withClient } from "../../../../fixtures/test/databases";
import { type Session, asLoginRole, session, sleep } from "../../../../fixtures/test/checks";
import { type PrismaClient, createPrismaClient } from "../../../db";
import type { FixContext, FixResult } from "../../catalogue";
import { buildReport } from "../../queries/report";
import { dbCancelQuery } from "./cancel-query";
import { dbReindexConcurrently } from "./reindex-concurrently";
import { dbTerminateIdleConnections } from "./terminate-idle-connections";

let url: string; // a superuser (the add-on's tables live here too)
let viewerUrl: string; // a non-superuser fix role that sees every session (pg_read_all_stats), its own to this file
let prisma: PrismaClient;
const opened: Session[] = [];

const context = (databaseUrl: string): FixContext => ({
  target: { baseUrl: "http://127.0.0.1:9", databaseUrl, endpoints: [], browser: false },
  signal: AbortSignal.timeout(20_000),
  integrations: {},
  credentials: null,
});

/** Stores `result` as resolve.ts does (status from ok, the result as returned) and reads the report's status and detail. */
async function reported(code: string, result: FixResult) {
  const run = await prisma.troubleshootingRun.create({ data: { trigger: "api", status: "completed", target: { baseUrl: "http://x", database: "d", endpoints: [] }, targetKey: `k-${Math.random()}` } });
  await prisma.fixAction.create({ data: { runId: run.id, code, risk: "needs_approval", status: result.ok ? "applied" : "failed", result: { ...result }, detail: result.detail } });
  const action = (await buildReport(prisma, run.id))?.actions[0];
  return { status: action?.status, detail: action?.detail };
}

beforeAll(async () => {
  url = await createTestDatabase();
  viewerUrl = await asLoginRole(url, "no_effect_viewer", "no-effect-viewer-pw", "", "GRANT pg_read_all_stats TO no_effect_viewer");
  prisma = createPrismaClient(url);
});
afterAll(async () => {
  for (const client of opened) await client.end().catch(() => {});
  await prisma.$disconnect();
});

describe("fixes that change nothing", () => {
  it("a superuser's query that the non-superuser fix role cannot cancel: no effect, with why, and the query runs on", async () => {
    const dba = await session(url, "no-effect-dba");
    opened.push(dba);
    const running = dba.query("SELECT pg_sleep(30)").then(() => "finished", (e: Error) => e.message);
    await sleep(1_000);
    // To the microsecond, as the check records it (a JS Date would round it and miss the query).
    const queryStart = await withClient(url, async (sql) =>
      (await sql.query<{ s: string }>(`SELECT to_char(query_start AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS s FROM pg_stat_activity WHERE pid = $1`, [dba.pid])).rows[0]?.s);
    const result = await dbCancelQuery.apply({ pid: dba.pid, queryStart: queryStart ?? "" }, context(viewerUrl));
    expect(result.ok).toBe(false);
    const read = await reported("db.cancel_query", result);
    expect(read.status).toBe("no_effect");
    expect(read.detail).toMatch(/^Not canceled: .*superuser/);
    const still = await withClient(url, async (sql) => (await sql.query<{ state: string }>("SELECT state FROM pg_stat_activity WHERE pid = $1", [dba.pid])).rows[0]?.state);
    expect(still).toBe("active");
    await withClient(url, (sql) => sql.query("SELECT pg_cancel_backend($1)", [dba.pid]));
    expect(await running).toMatch(/canceling statement/);
  });

  it("a query that already ended: ok for the run (verification re-checks), but no effect, not applied", async () => {
    const result = await dbCancelQuery.apply({ pid: 999_999, queryStart: new Date().toISOString() }, context(url));
    expect(result.ok).toBe(true);
    expect(await reported("db.cancel_query", result)).toEqual({ status: "no_effect", detail: "Backend 999999 had already ended; nothing to cancel." });
  });

  it("an index that is already valid is not rebuilt: no effect", async () => {
    await withClient(url, (sql) => sql.query("CREATE TABLE ne_t (id int); CREATE INDEX ne_idx ON ne_t (id)"));
    const result = await dbReindexConcurrently.apply({ schema: "public", index: "ne_idx" }, context(url));
    expect(await reported("db.reindex_concurrently", result)).toEqual({ status: "no_effect", detail: expect.stringContaining("already valid; nothing rebuilt") });
  });

  it("idle connections already under the target: nothing terminated, no effect", async () => {
    const result = await dbTerminateIdleConnections.apply({ role: "app_user", targetInUse: 1_000 }, context(url));
    expect(await reported("db.terminate_idle_connections", result)).toEqual({ status: "no_effect", detail: expect.stringContaining("nothing terminated") });
  });
});
