// The two log tools on real rows: run_logs reads this add-on's LogEntry rows of the run;
// platform_logs asks a loopback target that serves GET /api/admin/bots/logs as the add-on does
// (queryLogs on its own store), over https with the test CA, with the run's credentials.
import https from "node:https";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeCertificates } from "../../../../fixtures/test/certificates";
import { createTestDatabase } from "../../../../fixtures/test/databases";
import { callTool, okResult, toolContext } from "../../../../fixtures/test/investigation-tools";
import { type PrismaClient, createPrismaClient } from "../../../db";
import { logQuerySchema, queryLogs } from "../../../monitoring/log-store";
import { platformLogs } from "./platform-logs";
import { runLogs } from "./run-logs";

const BEARER = "platform-admin-token-5d2a";
let prisma: PrismaClient;
let server: https.Server;
let base = "";
let ca = "";
/** What the target answers instead of its logs, when set. */
let override: { status: number; body: string } | null = null;
const seen: { path: string; authorization?: string }[] = [];

beforeAll(async () => {
  prisma = createPrismaClient(await createTestDatabase());
  const t0 = Date.parse("2026-11-30T10:00:00Z");
  const rows = [
    { level: 30, msg: "run started", component: "runs", runId: "run-a" },
    { level: 40, msg: "check db.slow_queries timed out", component: "database-bot", runId: "run-a", data: { check: "db.slow_queries", url: "postgresql://app:hunter2@db:5432/app" } },
    { level: 50, msg: "fetch failed: Bearer abcdefgh12345 rejected", component: "web-bot", runId: "run-a" },
    { level: 50, msg: "another run's failure", component: "web-bot", runId: "run-b" },
    { level: 30, msg: "platform request served", component: "http", runId: null },
  ];
  await prisma.logEntry.createMany({ data: rows.map((r, i) => ({ ...r, at: new Date(t0 + i * 1000), data: r.data ?? {} })) });

  const certs = await makeCertificates();
  ca = certs.ca.cert;
  server = https.createServer({ key: certs.valid.key, cert: certs.valid.cert }, (req, res) => {
    const url = new URL(req.url ?? "/", "https://x");
    seen.push({ path: `${url.pathname}${url.search}`, authorization: req.headers.authorization });
    if (override) return void res.writeHead(override.status, { "content-type": "application/json" }).end(override.body);
    if (url.pathname !== "/api/admin/bots/logs") return void res.writeHead(404).end();
    if (req.headers.authorization !== `Bearer ${BEARER}`) return void res.writeHead(401, { "content-type": "application/json" }).end('{"error":"unauthorized"}');
    // As the add-on's own route answers (lib/api/routes.ts, GET /logs).
    void queryLogs(prisma, logQuerySchema.parse(Object.fromEntries(url.searchParams))).then((entries) => res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ entries })));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `https://localhost:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  await prisma.$disconnect();
});

describe("run_logs", () => {
  it("returns the run's own lines newest first, at or above a level, scrubbed", async () => {
    const ctx = toolContext({ prisma, runId: "run-a" });
    const all = await okResult(runLogs, {}, ctx);
    expect(all).toMatchObject({ runId: "run-a", count: 3 });
    // (data is jsonb: PostgreSQL orders its keys, shorter first)
    expect(all.lines).toEqual([
      { at: "2026-11-30T10:00:02.000Z", level: "error", msg: "fetch failed: Bearer *** rejected", component: "web-bot", runId: null, data: null },
      { at: "2026-11-30T10:00:01.000Z", level: "warn", msg: "check db.slow_queries timed out", component: "database-bot", runId: null, data: '{"url":"postgresql://app:***@db:5432/app","check":"db.slow_queries"}' },
      { at: "2026-11-30T10:00:00.000Z", level: "info", msg: "run started", component: "runs", runId: null, data: null },
    ]);
    const errors = await okResult(runLogs, { level: "error", limit: 5 }, ctx);
    expect((errors.lines as { msg: string }[]).map((l) => l.msg)).toEqual(["fetch failed: Bearer *** rejected"]);
    expect(await callTool(runLogs, { level: "debug" }, ctx)).toMatchObject({ status: "refused" });
    expect(await callTool(runLogs, { limit: 1000 }, ctx)).toMatchObject({ status: "refused" });
    expect(await callTool(runLogs, { runId: "run-b" }, ctx)).toMatchObject({ status: "refused" });
  });
});

describe("platform_logs", () => {
  const ctx = (bearer = BEARER) => toolContext({ baseUrl: base, targetOverrides: { caCertificates: ca }, credentials: { origin: base, bearer } });

  it("reads the target's /api/admin/bots/logs with the run's credentials, newest first, scrubbed", async () => {
    override = null;
    seen.length = 0;
    const result = await okResult(platformLogs, { level: "warn", limit: 10 }, ctx());
    expect(seen).toEqual([{ path: "/api/admin/bots/logs?level=warn&limit=10", authorization: `Bearer ${BEARER}` }]);
    expect(result).toMatchObject({ path: "/api/admin/bots/logs", count: 3 });
    expect((result.lines as { msg: string; runId: string | null }[]).map((l) => [l.msg, l.runId])).toEqual([
      ["another run's failure", "run-b"],
      ["fetch failed: Bearer *** rejected", "run-a"],
      ["check db.slow_queries timed out", "run-a"],
    ]);
    expect(JSON.stringify(result)).not.toMatch(/hunter2|abcdefgh12345/);
  });

  it("says when the target does not expose its logs, or answers in another shape", async () => {
    override = null;
    expect(await callTool(platformLogs, {}, ctx("wrong-token"))).toEqual({ status: "error", reason: "the target does not expose its logs to this run's credentials (/api/admin/bots/logs answered 401)" });
    override = { status: 200, body: JSON.stringify({ logs: ["a", "b"] }) };
    expect(await callTool(platformLogs, {}, ctx())).toEqual({ status: "error", reason: "the target's /api/admin/bots/logs answered in an unknown shape" });
    override = { status: 200, body: "<html>sign in</html>" };
    expect(await callTool(platformLogs, {}, ctx())).toEqual({ status: "error", reason: "the target's /api/admin/bots/logs answered in an unknown shape" });
    override = { status: 404, body: "{}" };
    expect(await callTool(platformLogs, {}, ctx())).toMatchObject({ status: "error", reason: expect.stringContaining("answered 404") });
    override = null;
    expect(await callTool(platformLogs, { limit: 101 }, ctx())).toMatchObject({ status: "refused" });
  });
});
