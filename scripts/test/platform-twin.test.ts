// The platform twin really serves what TWIN_FAULTS_DOC promises: healthy, it is a clean app whose
// traps (client-rendered nav, analytics 404s) stay; with every fault on, each fault shows to a
// plain HTTP request where one can see it.
import https from "node:https";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeCertificates } from "./certificates";
import { createTestDatabase } from "./databases";
import { type PlatformTwin, TWIN_ADMIN, TWIN_FAULTS_DOC, TWIN_FAULT_NAMES, TWIN_USER, preparePlatformTwinDatabase, startPlatformTwin } from "./platform-twin";

const STALE_CHUNK = "/_next/static/chunks/app-stale-4f2a9c1e.js";

let databaseUrl: string;

beforeAll(async () => {
  databaseUrl = await createTestDatabase({ migrate: false });
  await preparePlatformTwinDatabase(databaseUrl);
  await preparePlatformTwinDatabase(databaseUrl); // idempotent
});

const get = (twin: PlatformTwin, path: string, init: RequestInit = {}) => fetch(`${twin.url}${path}`, { redirect: "manual", ...init });

describe("TWIN_FAULTS_DOC", () => {
  it("describes every fault with at least one path", () => {
    expect(Object.keys(TWIN_FAULTS_DOC).sort()).toEqual([...TWIN_FAULT_NAMES].sort());
    for (const name of TWIN_FAULT_NAMES) expect(TWIN_FAULTS_DOC[name].paths.length).toBeGreaterThan(0);
  });
});

describe("healthy platform twin", () => {
  let twin: PlatformTwin;
  beforeAll(async () => {
    twin = await startPlatformTwin({ databaseUrl });
  });
  afterAll(() => twin?.close());

  it("serves a home page whose server HTML links nowhere (the nav renders in the browser)", async () => {
    const response = await get(twin, "/");
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain("Run your orders and customers in one place");
    expect(html.match(/<a\s[^>]*href=/g) ?? []).toEqual([]);
    // The always-on traps, and none of the faults' scripts.
    expect(html).toContain('src="/_vercel/insights/script.js"');
    expect(html).toContain('src="https://beacon.analytics-twin.invalid/collect.js"');
    expect(html).not.toContain(STALE_CHUNK);
    // Next's own scripts carry the CSP's nonce.
    const policy = response.headers.get("content-security-policy") ?? "";
    const nonce = /'nonce-([^']+)'/.exec(policy)?.[1];
    expect(policy).toContain("'strict-dynamic'");
    expect(html).toContain(`nonce="${nonce}"`);
    expect(response.headers.get("x-content-type-options")).toBe("nosniff");
    expect(response.headers.get("strict-transport-security")).toBeNull(); // plain http
  });

  it("lists the blog posts and docs, not every page, in its sitemap", async () => {
    const xml = await (await get(twin, "/sitemap.xml")).text();
    const locations = [...xml.matchAll(/<loc>([^<]+)<\/loc>/g)].map((match) => new URL(match[1]!).pathname);
    expect(locations).toEqual(expect.arrayContaining(["/blog/introducing-revenue-reports", "/blog/faster-order-search", "/blog/audit-trail", "/docs"]));
    expect(locations).not.toContain("/pricing");
    const post = await get(twin, "/blog/audit-trail");
    expect(post.status).toBe(200);
    expect(await post.text()).toContain("An audit trail for every role change");
  });

  it("answers the public pages and APIs, with the traps in place", async () => {
    for (const path of ["/about", "/pricing", "/blog", "/docs", "/docs/getting-started", "/docs/api", "/contact", "/careers", "/changelog", "/login"]) {
      expect((await get(twin, path)).status, path).toBe(200);
    }
    expect(await (await get(twin, "/api/health")).json()).toMatchObject({ status: "ok" });
    expect((await get(twin, "/api/status")).headers.get("content-type")).toContain("application/json");
    expect((await get(twin, "/api/plans")).status).toBe(200);
    expect((await get(twin, "/api/contact")).status).toBe(405);
    expect((await get(twin, "/_vercel/insights/script.js")).status).toBe(404);
    for (const path of ["/api/debug", "/api/debug/config", "/.env", "/.git/config", STALE_CHUNK]) expect((await get(twin, path)).status, path).toBe(404);
    // AUTH_URL names 127.0.0.1 while the twin is probed as localhost: the same loopback server.
    const providers = (await (await get(twin, "/api/auth/providers")).json()) as { credentials: { signinUrl: string } };
    expect(new URL(providers.credentials.signinUrl).port).toBe(new URL(twin.url).port);
  });

  it("keeps the admin area and admin APIs for admins", async () => {
    expect((await get(twin, "/api/admin/users")).status).toBe(401);
    expect((await get(twin, "/api/admin/settings", { method: "POST", body: "{}", headers: { "content-type": "application/json" } })).status).toBe(401);
    const page = await get(twin, "/admin/users");
    expect(page.status).toBe(307);
    expect(new URL(page.headers.get("location")!, twin.url).pathname).toBe("/login");

    const session = await get(twin, "/api/auth/session");
    expect(session.status).toBe(200);
    expect(session.headers.get("content-type")).toContain("application/json");

    const admin = { cookie: await twin.signIn(TWIN_ADMIN.email, TWIN_ADMIN.password) };
    const users = await get(twin, "/api/admin/users", { headers: admin });
    expect(users.status).toBe(200);
    expect(((await users.json()) as { email: string }[]).map((user) => user.email)).toContain(TWIN_USER.email);
    expect((await get(twin, "/admin/orders", { headers: admin })).status).toBe(200);
    expect((await get(twin, "/api/admin/reports", { headers: admin })).status).toBe(200);
    expect(await (await get(twin, "/api/auth/session", { headers: admin })).json()).toMatchObject({ user: { email: TWIN_ADMIN.email, role: "admin" } });

    const user = { cookie: await twin.signIn(TWIN_USER.email, TWIN_USER.password) };
    expect((await get(twin, "/api/admin/users", { headers: user })).status).toBe(403);
    const denied = await get(twin, "/admin", { headers: user });
    expect(denied.status).toBe(403);
    expect(await denied.text()).toContain("access denied");
    expect((await get(twin, "/api/account", { headers: user })).status).toBe(200);
    expect((await get(twin, "/api/account")).status).toBe(401);
    await expect(twin.signIn(TWIN_USER.email, "wrong-password")).rejects.toThrow(/failed/);
  });
});

describe("platform twin with every fault on", () => {
  let twin: PlatformTwin;
  let expiredServer: https.Server;
  let externalScriptUrl: string;
  beforeAll(async () => {
    const { expired } = await makeCertificates();
    expiredServer = https.createServer(expired, (_request, response) => response.end("console.log('widget')"));
    await new Promise<void>((resolve) => expiredServer.listen(0, "127.0.0.1", resolve));
    externalScriptUrl = `https://localhost:${(expiredServer.address() as AddressInfo).port}/widget.js`;
    twin = await startPlatformTwin({ databaseUrl, faults: "all", externalScriptUrl });
  });
  afterAll(async () => {
    await twin?.close();
    expiredServer?.close();
  });

  it("admin-api-open: lists users and takes settings writes anonymously", async () => {
    const users = await get(twin, "/api/admin/users");
    expect(users.status).toBe(200);
    const body = (await users.json()) as Record<string, unknown>[];
    expect(body[0]).toEqual({ id: expect.any(Number), email: expect.any(String), name: expect.any(String), role: expect.any(String) });
    const write = await get(twin, "/api/admin/settings", { method: "POST", body: JSON.stringify({ signupsOpen: true }), headers: { "content-type": "application/json" } });
    expect(write.status).toBe(200);
    expect((await get(twin, "/api/admin/stats")).status).toBe(401); // the other admin APIs still check
  });

  it("debug-endpoints: leak which secrets are set, the database host and the full DATABASE_URL", async () => {
    const debug = (await (await get(twin, "/api/debug")).json()) as Record<string, string>;
    expect(debug).toMatchObject({ NEXTAUTH_SECRET: "set", AUTH_SECRET: "set", NODE_ENV: "production", DATABASE_HOST: new URL(databaseUrl).host });
    const config = (await (await get(twin, "/api/debug/config")).json()) as { DATABASE_URL: string; lastError: { stack: string } };
    expect(config.DATABASE_URL).toBe(databaseUrl);
    expect(config.lastError.stack).toMatch(/\n\s+at /);
  });

  it("dotfiles-exposed: serves /.env and /.git/config as text", async () => {
    const env = await get(twin, "/.env");
    expect(env.status).toBe(200);
    expect(env.headers.get("content-type")).toContain("text/plain");
    expect(await env.text()).toMatch(/^DATABASE_URL=postgresql:\/\/app:secret@/m);
    expect(await (await get(twin, "/.git/config")).text()).toContain('[remote "origin"]');
  });

  it("admin-page-open: renders the user table to anonymous visitors on /admin/users only", async () => {
    const page = await get(twin, "/admin/users");
    expect(page.status).toBe(200);
    expect(await page.text()).toContain(TWIN_ADMIN.email);
    expect((await get(twin, "/admin/settings")).status).toBe(307);
  });

  it("api-404: the APIs the pages call answer 404, and the client JS still names them", async () => {
    expect((await get(twin, "/api/plans")).status).toBe(404);
    expect((await get(twin, "/api/admin/reports")).status).toBe(404);
    const html = await (await get(twin, "/pricing")).text();
    const chunks = [...html.matchAll(/src="(\/_next\/static\/chunks\/[^"]+\.js)"/g)].map((match) => match[1]!);
    const code = (await Promise.all(chunks.filter((chunk) => chunk !== STALE_CHUNK).map(async (chunk) => (await get(twin, chunk)).text()))).join("\n");
    expect(code).toContain("/api/plans");
  });

  it("chunk-html: pages reference a stale chunk that is answered with HTML", async () => {
    expect(await (await get(twin, "/about")).text()).toContain(`src="${STALE_CHUNK}"`);
    const chunk = await get(twin, STALE_CHUNK);
    expect(chunk.status).toBe(200);
    expect(chunk.headers.get("content-type")).toContain("text/html");
  });

  it("auth-redirect: /api/auth/session redirects to /login, while signing in still works", async () => {
    const session = await get(twin, "/api/auth/session");
    expect(session.status).toBe(307);
    expect(new URL(session.headers.get("location")!, twin.url).pathname).toBe("/login");
    expect(await twin.signIn(TWIN_ADMIN.email, TWIN_ADMIN.password)).toMatch(/^authjs\.session-token=/);
  });

  it("api-html: /api/status answers 200 text/html", async () => {
    const status = await get(twin, "/api/status");
    expect(status.status).toBe(200);
    expect(status.headers.get("content-type")).toContain("text/html");
  });

  it("csp-blocks-scripts: the CSP's nonce is on none of /docs/api's scripts, and other pages are untouched", async () => {
    expect((await get(twin, "/")).headers.get("content-security-policy")).toContain("'strict-dynamic'");
    const response = await get(twin, "/docs/api");
    const policy = response.headers.get("content-security-policy") ?? "";
    expect(policy).toMatch(/script-src 'self'; script-src-elem 'self' 'nonce-[^']+';/);
    const html = await response.text();
    expect(html).toMatch(/<script>\(self\.__next_f/);
    expect(html).not.toContain("nonce=");
  });

  it("third-party-expired: pages load the script from the https server with an expired certificate", async () => {
    expect(await (await get(twin, "/")).text()).toContain(`src="${externalScriptUrl}"`);
  });

  it("slow-api: /api/search takes 1.5 s", async () => {
    const started = Date.now();
    expect((await get(twin, "/api/search?q=api")).status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1400);
  });

  it("stack-trace: /api/health answers 500 with a Node stack", async () => {
    const health = await get(twin, "/api/health");
    expect(health.status).toBe(500);
    expect(((await health.json()) as { error: string }).error).toMatch(/^Error: connect ECONNREFUSED 10\.0\.0\.5:5432\n\s+at TCPConnectWrap/);
  });

  it("page-500: /changelog fails on the server", async () => {
    expect((await get(twin, "/changelog")).status).toBe(500);
  });
});

describe("platform twin behind TLS", () => {
  let twin: PlatformTwin;
  beforeAll(async () => {
    const { valid } = await makeCertificates();
    twin = await startPlatformTwin({ databaseUrl, tls: valid });
  });
  afterAll(() => twin?.close());

  it("serves https://localhost with HSTS and secure session cookies", async () => {
    expect(twin.url).toMatch(/^https:\/\/localhost:\d+$/);
    const response = await new Promise<{ status: number; hsts: string | undefined }>((resolve, reject) => {
      https
        .get(`${twin.url}/`, { rejectUnauthorized: false }, (answer) => {
          answer.resume();
          resolve({ status: answer.statusCode ?? 0, hsts: answer.headers["strict-transport-security"] as string | undefined });
        })
        .on("error", reject);
    });
    expect(response.status).toBe(200);
    expect(response.hsts).toContain("max-age=");
    expect(await twin.signIn(TWIN_ADMIN.email, TWIN_ADMIN.password)).toMatch(/^__Secure-authjs\.session-token=/);
  });
});
