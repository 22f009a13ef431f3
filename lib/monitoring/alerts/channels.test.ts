// Alert channels through the real API (apiHandler over a real database) and real loopback
// receivers: the URL is sealed and never answered or logged, a test alert reports the receiver's
// status, and alerts are routed per target.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase } from "../../../fixtures/test/databases";
import { apiHandler } from "../../api/dispatch";
import { type AddonContext, createAddonContext } from "../../mount/context";
import { raiseRunAlerts, type AlertSettings } from "./index";
import { listAlerts } from "./store";

const SECRET = "channel-test-secret-".padEnd(48, "x");
const APP = "http://troubleshooter.test";
const API = `${APP}/api/admin/bots`;

interface Receiver {
  url: string;
  bodies: Record<string, unknown>[];
  close(): Promise<void>;
}

/** A loopback webhook answering `status`; its path looks like a Slack secret. */
async function startReceiver(status = 200, name = "T0001/B0002/channel-secret-token"): Promise<Receiver> {
  const bodies: Record<string, unknown>[] = [];
  const server: Server = createServer((req, res) => {
    let raw = "";
    req.on("data", (c: Buffer) => (raw += c.toString()));
    req.on("end", () => {
      bodies.push(JSON.parse(raw) as Record<string, unknown>);
      res.statusCode = status;
      res.end("ok");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/services/${name}`,
    bodies,
    close: () => new Promise((resolve) => { server.close(() => resolve()); server.closeAllConnections(); }),
  };
}

let addon: AddonContext;
let handle: (req: Request) => Promise<Response>;
const receivers: Receiver[] = [];

beforeAll(async () => {
  const databaseUrl = await createTestDatabase();
  addon = createAddonContext({
    databaseUrl, secret: SECRET, appUrl: APP,
    authorize: async ({ headers }) => {
      const who = headers.get("x-test-user");
      return who === "admin" ? { id: "admin-1", email: "admin@example.test" } : who === "viewer" ? "forbidden" : null;
    },
  });
  handle = apiHandler(addon);
});
afterAll(async () => {
  await Promise.all(receivers.map((r) => r.close()));
  await addon.close();
});

const call = (method: string, path: string, body?: unknown, who: string | null = "admin") =>
  handle(new Request(`${API}${path}`, { method, headers: { "content-type": "application/json", ...(who ? { "x-test-user": who } : {}) }, body: body === undefined ? undefined : JSON.stringify(body) }));

async function receiver(status = 200, name?: string) {
  const r = await startReceiver(status, name);
  receivers.push(r);
  return r;
}

describe("alert channels API", () => {
  it("seals the URL: answers, the stored row, the audit and the logs show the host only", async () => {
    const r = await receiver(200);
    const created = await call("POST", "/alert-channels", { name: "ops slack", url: r.url, kinds: ["run_failed", "run_failed"] });
    expect(created.status).toBe(201);
    const channel = (await created.json()) as { id: string; host: string; kinds: string[] };
    expect(channel.host).toBe(new URL(r.url).host);
    expect(channel.kinds).toEqual(["run_failed"]);

    const tested = await call("POST", `/alert-channels/${channel.id}/test`);
    expect(await tested.json()).toMatchObject({ ok: true, httpStatus: 200, error: null, attempts: 1, channel: { name: "ops slack" } });
    expect(r.bodies[0]!.text).toBe(":warning: Test alert for channel ops slack");

    const listed = await (await call("GET", "/alert-channels")).text();
    expect(listed).toContain(new URL(r.url).host);
    expect(listed).toContain('"httpStatus":200');
    const prisma = addon.prisma();
    const row = await prisma.alertChannel.findUniqueOrThrow({ where: { id: channel.id } });
    await new Promise((resolve) => setTimeout(resolve, 500)); // the log store writes in the background
    const everything = JSON.stringify({
      listed, row: row.sealedUrl,
      audit: await prisma.auditLog.findMany({ where: { targetId: channel.id } }),
      deliveries: await prisma.alertDelivery.findMany({ where: { channelId: channel.id } }),
      logs: await prisma.logEntry.findMany(),
    }, (_k, v: unknown) => (typeof v === "bigint" ? String(v) : v));
    expect(everything).not.toContain("channel-secret-token");
    expect(everything).not.toContain("/services/");
    expect((await prisma.auditLog.findMany({ where: { targetId: channel.id }, orderBy: { id: "asc" } })).map((a) => a.action)).toEqual(["alert_channel.create", "alert_channel.test"]);
  });

  it("a test alert to a receiver answering 500 reports HTTP 500, once, without the URL", async () => {
    const r = await receiver(500, "T9/B9/failing-secret");
    const { id } = (await (await call("POST", "/alert-channels", { name: "failing", format: "generic", url: r.url })).json()) as { id: string };
    const outcome = (await (await call("POST", `/alert-channels/${id}/test`)).json()) as Record<string, unknown>;
    expect(outcome).toMatchObject({ ok: false, httpStatus: 500, error: "HTTP 500", attempts: 1 });
    expect(JSON.stringify(outcome)).not.toContain("failing-secret");
    expect(r.bodies).toHaveLength(1);
    expect(r.bodies[0]).toMatchObject({ kind: "test", title: "Test alert for channel failing" });
    const audit = await addon.prisma().auditLog.findFirstOrThrow({ where: { targetId: id, action: "alert_channel.test" } });
    expect(audit).toMatchObject({ actorEmail: "admin@example.test", detail: { ok: false, httpStatus: 500, error: "HTTP 500" } });
  });

  it("edits, disables and deletes; refuses strangers (401), non-admins (403), bad input (422) and name clashes (409)", async () => {
    const r = await receiver(200);
    const { id } = (await (await call("POST", "/alert-channels", { name: "to edit", url: r.url })).json()) as { id: string };
    expect(await (await call("PATCH", `/alert-channels/${id}`, { enabled: false, kinds: ["score_drop"] })).json()).toMatchObject({ enabled: false, kinds: ["score_drop"] });
    expect((await call("POST", "/alert-channels", { name: "to edit", url: r.url })).status).toBe(409);
    expect((await call("POST", "/alert-channels", { name: "x", url: r.url }, null)).status).toBe(401);
    expect((await call("POST", "/alert-channels", { name: "x", url: r.url }, "viewer")).status).toBe(403);
    expect((await call("POST", `/alert-channels/${id}/test`, undefined, "viewer")).status).toBe(403);
    const bad = await call("POST", "/alert-channels", { name: "x", url: "ftp://example.test/hook", kinds: ["nope"] });
    expect(bad.status).toBe(422);
    expect(Object.keys(((await bad.json()) as { error: { fields: Record<string, string[]> } }).error.fields).sort()).toEqual(["kinds.0", "url"]);
    expect((await call("PATCH", `/alert-channels/${id}`, { url: "javascript:alert(1)" })).status).toBe(422);
    expect((await call("DELETE", `/alert-channels/${id}`)).status).toBe(204);
    expect((await call("DELETE", `/alert-channels/${id}`)).status).toBe(404);
  });
});

describe("alert routing", () => {
  const settings = (webhookUrl: string): AlertSettings => ({
    webhookUrl, format: "slack", scoreBelow: 50, scoreDrop: 20, approvalWaitMinutes: 30, dedupeMinutes: 0, appUrl: APP, basePath: "/admin/troubleshooting",
    delivery: { attempts: 2, timeoutMs: 2_000, initialDelayMs: 10, maxDelayMs: 20 }, secret: SECRET,
  });

  it("a stored target with a channel list alerts only those; the default target alerts the environment's webhook and every enabled channel", async () => {
    const prisma = addon.prisma();
    await prisma.alertChannel.deleteMany();
    const env = await receiver(200, "env/secret");
    const [a, b, off] = await Promise.all([receiver(200, "a/secret"), receiver(500, "b/secret"), receiver(200, "off/secret")]);
    const make = async (name: string, r: Receiver, extra: Record<string, unknown> = {}) =>
      ((await (await call("POST", "/alert-channels", { name, url: r.url, ...extra })).json()) as { id: string }).id;
    const aId = await make("A", a);
    await make("B", b, { format: "generic" });
    await make("Off", off, { enabled: false });

    const staging = await prisma.target.create({ data: { name: "staging", baseUrl: "https://staging.example", databaseUrl: "postgresql://app@db/staging", targetKey: "staging-key", alertChannelIds: [aId] } });
    const routed = await prisma.troubleshootingRun.create({ data: { trigger: "api", status: "failed", statusReason: "boom", target: { baseUrl: staging.baseUrl }, targetKey: staging.targetKey, targetId: staging.id, finishedAt: new Date() } });
    await raiseRunAlerts(prisma, routed.id, settings(env.url));
    expect(a.bodies.map((x) => x.text)).toEqual([":rotating_light: [staging] Troubleshooting run failed on https://staging.example"]);
    expect([env.bodies, b.bodies, off.bodies].map((x) => x.length)).toEqual([0, 0, 0]);

    const byDefault = await prisma.troubleshootingRun.create({ data: { trigger: "api", status: "failed", statusReason: "boom", target: { baseUrl: "https://prod.example" }, targetKey: "prod-key", finishedAt: new Date() } });
    await raiseRunAlerts(prisma, byDefault.id, settings(env.url));
    expect(env.bodies.map((x) => x.text)).toEqual([":rotating_light: [default] Troubleshooting run failed on https://prod.example"]);
    expect(a.bodies).toHaveLength(2);
    // Generic JSON; its 500s are retried (2 attempts here) like the environment's webhook's.
    expect(b.bodies).toEqual([expect.objectContaining({ target: "default", kind: "run_failed" }), expect.objectContaining({ target: "default", kind: "run_failed" })]);
    expect(off.bodies).toHaveLength(0);

    // Each destination's outcome is recorded and listed; the alert says which failed.
    const [listed] = (await listAlerts(prisma, { limit: 1 })).filter((x) => x.runId === byDefault.id);
    expect(listed).toMatchObject({ status: "failed", lastError: "B: HTTP 500" });
    expect(listed!.deliveries.map((d) => [d.destination, d.status, d.httpStatus])).toEqual([["A", "sent", 200], ["ALERT_WEBHOOK_URL", "sent", 200], ["B", "failed", 500]]);
  });
});
