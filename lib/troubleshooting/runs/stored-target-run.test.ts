// A run on a stored target opens its secrets through the run's targetId, in whichever process
// drives it: here the graph state holds the database URL redacted and this process was never
// told the password, as in a process that only approved the run. Its nodes get the stored
// target's own credentials and none of the configured platform's.
import { createServer } from "node:https";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeCertificates } from "../../../fixtures/test/certificates";
import { createTestDatabase } from "../../../fixtures/test/databases";
import { TEST_SETTINGS, closeEngine, createTestEngine } from "../../../fixtures/test/engine";
import { type TargetServer, startTargetServer } from "../../../fixtures/test/target-server";
import { openStoredTarget } from "../../targets/runtime";
import { createTarget } from "../../targets/store";
import type { EngineSettings } from "../workflow/deps";
import type { Engine } from "../workflow/engine";
import { createRun, executeRun } from "./run-service";
import { openTarget, scopeSettingsToRun, withRunTarget } from "./target-secrets";

const SECRET = "k".repeat(40);
let databaseUrl: string;
let site: TargetServer;
let engine: Engine;

beforeAll(async () => {
  databaseUrl = await createTestDatabase();
  site = await startTargetServer();
  engine = await createTestEngine(databaseUrl, { settings: { ...TEST_SETTINGS, targetSecret: SECRET, site: { credentials: { origin: "https://default.example", bearer: "ENV-BEARER" } }, integrations: { deployHook: { url: "https://hooks.example/deploy" } } } });
});
afterAll(async () => {
  await closeEngine(engine);
  await site.close();
});

describe("a run on a stored target", () => {
  it("gives the nodes the stored target's credentials and database, never the configured ones", () => {
    const settings: EngineSettings = { ...TEST_SETTINGS, site: { credentials: { origin: "https://default.example", bearer: "ENV" } }, integrations: { deployHook: { url: "https://hooks.example/x" } } };
    scopeSettingsToRun(settings);
    expect(settings.site?.credentials?.bearer).toBe("ENV");
    const stored = { databaseUrl: "postgres://u:STORED-PW@db.stored:5432/s", credentials: { origin: "https://stored.example", bearer: "STORED" } };
    withRunTarget(stored, () => {
      expect(settings.site?.credentials).toEqual({ origin: "https://stored.example", bearer: "STORED" });
      expect(settings.integrations).toEqual({});
      expect(openTarget({ baseUrl: "https://stored.example", databaseUrl: "postgres://u:***@db.stored:5432/s", endpoints: [], browser: false }).databaseUrl).toBe(stored.databaseUrl);
      // Another database's redacted URL is not opened with this target's password.
      expect(() => openTarget({ baseUrl: "https://x.example", databaseUrl: "postgres://u:***@db.other:5432/s", endpoints: [], browser: false })).toThrow(/not its stored target/);
    });
    withRunTarget({ ...stored, credentials: null }, () => expect(settings.site?.credentials).toBeNull());
    expect(settings.integrations).toEqual({ deployHook: { url: "https://hooks.example/x" } });
  });

  it("opens the stored database password through the run's targetId when this process never saw it", async () => {
    const view = await createTarget(
      { prisma: engine.deps.prisma, secret: SECRET, config: { targetBaseUrl: "https://default.example", targetDatabaseUrl: "postgres://a@db.default:5432/a" }, actor: null },
      { name: "stored", baseUrl: site.url, databaseUrl },
    );
    const row = await engine.deps.prisma.target.findUniqueOrThrow({ where: { id: view.id } });
    const opened = openStoredTarget(row, SECRET);
    const redacted = new URL(opened.target.databaseUrl);
    redacted.password = "***";
    // What the graph state holds, and all this process knows: the password is not in it.
    const { runId, config } = await createRun(engine, { trigger: "api", domains: ["database"], targetId: view.id }, { ...opened.target, browser: false, databaseUrl: redacted.toString() });
    expect(() => openTarget(config.target)).toThrow(/unknown here/);
    await executeRun(engine, runId, config);
    const run = await engine.deps.prisma.troubleshootingRun.findUniqueOrThrow({ where: { id: runId }, select: { status: true, statusReason: true, targetId: true } });
    expect(run.status, run.statusReason ?? "").toMatch(/completed|awaiting_approval/);
    expect(run.targetId).toBe(view.id);
    const assessed = await engine.deps.prisma.runEvent.findFirstOrThrow({ where: { runId, type: "system_assessed" } });
    expect(assessed.payload).toMatchObject({ system: { database: { reachable: true } } });
    expect(JSON.stringify(assessed.payload)).not.toContain(`:${new URL(databaseUrl).password}@`);
  });

  it("sends the stored target's own credentials to its origin over verified https, and never the configured ones", async () => {
    const certs = await makeCertificates();
    const seen: { path: string; authorization?: string; cookie?: string }[] = [];
    const server = createServer({ cert: certs.valid.cert, key: certs.valid.key }, (req, res) => {
      seen.push({ path: req.url ?? "", authorization: req.headers.authorization, cookie: req.headers.cookie });
      res.writeHead(200, { "content-type": req.url?.startsWith("/api") ? "application/json" : "text/html" });
      res.end(req.url?.startsWith("/api") ? "{}" : "<!doctype html><html lang=en><title>t</title><a href=/about>a</a></html>");
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const baseUrl = `https://localhost:${(server.address() as AddressInfo).port}`;
      const view = await createTarget(
        { prisma: engine.deps.prisma, secret: SECRET, config: { targetBaseUrl: "https://default.example", targetDatabaseUrl: "postgres://a@db.default:5432/a" }, actor: null },
        { name: "tls", baseUrl, databaseUrl: `${databaseUrl}?application_name=tls`, endpoints: ["/api/private"], bearerToken: "STORED-BEARER", sessionCookie: "sid=STORED-COOKIE" },
      );
      const opened = openStoredTarget(await engine.deps.prisma.target.findUniqueOrThrow({ where: { id: view.id } }), SECRET);
      const { runId, config } = await createRun(engine, { trigger: "api", domains: ["web", "network"], targetId: view.id }, { ...opened.target, browser: false, caCertificates: certs.ca.cert });
      await executeRun(engine, runId, config);
      expect(seen.length).toBeGreaterThan(0);
      expect(seen.some((r) => r.authorization === "Bearer STORED-BEARER" && r.cookie === "sid=STORED-COOKIE")).toBe(true);
      expect(seen.filter((r) => r.authorization && r.authorization !== "Bearer STORED-BEARER")).toEqual([]);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
