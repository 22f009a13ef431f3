// The exposure checks (net.data_exposure, net.config_exposure, net.unprotected_admin_api,
// web.admin_page_exposed) against a small real app on loopback that answers as real platforms do:
// a catch-all that serves its HTML shell for any unknown path (/.env included), an admin API that
// answers 200 with a login page, a login form inline on an admin page. They must find what is
// open, judge content rather than status, and copy no secret or e-mail into a finding.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { type TwinFault, TWIN_ADMIN, TWIN_USER } from "../../../../fixtures/test/platform-twin";
import { twinPerTest } from "../../../../fixtures/test/twin-harness";
import { diagnose, siteTarget } from "../../../../fixtures/test/site-bots";
import type { DiagnosticResult } from "../../workflow/bots/diagnostic-bot";
import type { HttpResult } from "../../probes/http";
import type { Domain } from "../../report";
import { revealedIn } from "./config-exposure";
import { judgeFields, readApiAnswer } from "./data-exposure";
import { readPage } from "../web/admin-page-exposed";

type Fault = "admin-api-open" | "debug-endpoints" | "dotfiles-exposed" | "admin-page-open" | "stack-trace" | "public-data";

/** Values that must never reach a finding. */
const SECRETS = {
  dbPassword: "s3cr3t-db-pa55",
  authSecret: "9f2d7c41b0e8a63f5d1c2e7a8b4f6d30",
  stripe: "sk_live_51HxLoopbackNotARealKey",
  gitToken: "ghp_LoopbackNotARealToken",
  hash: "$2b$10$abcdefghijklmnopqrstuv0123456789ABCDEFGHIJKLMNOPQRSTU",
};
const USERS = [
  { id: 1, email: "ada.admin@loop.test", name: "Ada Admin", role: "admin", passwordHash: SECRETS.hash },
  { id: 2, email: "uma.user@loop.test", name: "Uma User", role: "user", passwordHash: SECRETS.hash },
  { id: 3, email: "grace@loop.test", name: "Grace Hopper", role: "user", passwordHash: SECRETS.hash },
];
const DATABASE_URL = `postgresql://app:${SECRETS.dbPassword}@10.0.0.5:5432/platform`;

const SHELL = `<!doctype html><html><head><title>Loop Platform</title></head><body><div id="root">Loading…</div><p>Questions? support@loop.test</p></body></html>`;
const LOGIN = `<!doctype html><html><head><title>Sign in</title></head><body><h1>Sign in</h1><form method="post" action="/api/auth/callback/credentials"><input name="email" type="email"><input name="password" type="password"><button>Sign in</button></form></body></html>`;
const HOME = `<!doctype html><html><head><title>Loop Platform</title></head><body><h1>Orders and customers</h1><table><tr><th>Plan</th><th>Price</th></tr><tr><td>Starter</td><td>$29</td></tr></table><a href="/pricing">Pricing</a><a href="/login">Sign in</a><p>Questions? support@loop.test</p><script src="/app.js"></script></body></html>`;
const STACK = [
  "Error: connect ECONNREFUSED 10.0.0.5:5432",
  "    at TCPConnectWrap.afterConnect [as oncomplete] (node:net:1611:16)",
  "    at Client._handleErrorEvent (/app/node_modules/pg/lib/client.js:350:19)",
  "    at async GET (/app/.next/server/app/api/health/route.js:1:1190)",
].join("\n");

interface App {
  url: string;
  close(): Promise<void>;
}

let app: App | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

async function startApp(faults: Fault[] = []): Promise<App> {
  const on = new Set(faults);
  const server = http.createServer((req, res) => {
    const path = new URL(req.url ?? "/", "http://x").pathname;
    const send = (status: number, type: string, body: string, headers: Record<string, string> = {}) => void res.writeHead(status, { "content-type": type, ...headers }).end(body);
    const json = (status: number, body: unknown) => send(status, "application/json", JSON.stringify(body));
    const html = (status: number, body: string) => send(status, "text/html; charset=utf-8", body);
    if (req.method !== "GET" && req.method !== "HEAD") return json(405, { error: "read-only test app" }); // the checks never write
    switch (path) {
      case "/":
        return html(200, HOME);
      case "/pricing":
        return html(200, HOME.replace("<h1>Orders and customers</h1>", "<h1>Pricing</h1>"));
      case "/login":
        return html(200, LOGIN);
      case "/app.js": {
        const more = on.has("public-data") ? ["/api/team", "/api/prices", "/api/public-config", "/api/docs", "/api/admin/health", "/api/admin/audit", "/api/admin/exports", "/api/admin/jobs"] : [];
        return send(200, "application/javascript", ["/api/posts", "/api/status", "/api/admin/users", "/api/admin/stats", "/api/health", ...more].map((p) => `fetch("${p}");`).join(""));
      }
      // APIs
      case "/api/posts": // public, with authors' names: not an exposure
        return json(200, [{ slug: "hello", title: "Hello", author: "Ada Admin" }, { slug: "again", title: "Again", author: "Uma User" }]);
      case "/api/status":
        return json(200, { status: "operational", components: [{ name: "api", status: "operational" }] });
      case "/api/health":
        return on.has("stack-trace") ? json(500, { error: STACK }) : json(200, { status: "ok" });
      case "/api/admin/users":
        return on.has("admin-api-open") ? json(200, { users: USERS, total: USERS.length }) : json(401, { error: "Authentication required" });
      case "/api/admin/stats": // a middleware rewrites anonymous admin requests to the login page, with 200
        return html(200, LOGIN);
      // Answers that look alarming by name or status and are not exposures (public-data), and one
      // admin endpoint that is open without handing out records.
      case "/api/team":
        return json(200, [{ name: "Ada Admin", role: "CEO" }, { name: "Uma User", role: "CTO" }]);
      case "/api/prices":
        return json(200, { prices: [{ token: "ETH", priceCents: 312_000 }, { token: "BTC", priceCents: 6_100_000 }] });
      case "/api/public-config":
        return json(200, { NEXT_PUBLIC_SITE_URL: "https://loop.example.com", STRIPE_PUBLISHABLE_KEY: "pk_live_51HxLoopbackPublishable", NODE_ENV: "production" });
      case "/api/docs":
        return html(200, `<!doctype html><title>API</title><pre>AUTH_SECRET=your-secret\nDATABASE_URL=postgresql://user:password@localhost:5432/app</pre>`);
      case "/api/admin/audit": // refusals with the wrong status
        return json(200, { error: "Authentication required" });
      case "/api/admin/exports":
        return send(200, "text/plain", "Unauthorized");
      case "/api/admin/jobs":
        return json(200, { status: "unauthorized" });
      case "/api/admin/health":
        return json(200, { status: "ok", queue: "idle" });
      case "/api/debug":
        if (!on.has("debug-endpoints")) break;
        return json(200, { AUTH_SECRET: "set", NEXTAUTH_SECRET: "set", STRIPE_SECRET_KEY: "missing", DATABASE_HOST: "10.0.0.5:5432", NODE_ENV: "production" });
      case "/api/debug/config":
        if (!on.has("debug-endpoints")) break;
        return json(200, { DATABASE_URL, AUTH_URL: "https://loop.example.com", lastError: { message: "Pool exhausted", stack: STACK } });
      case "/.env":
        if (!on.has("dotfiles-exposed")) break;
        return send(200, "text/plain", `# production\nDATABASE_URL=${DATABASE_URL}\nAUTH_SECRET=${SECRETS.authSecret}\nSTRIPE_SECRET_KEY=${SECRETS.stripe}\n`);
      case "/.git/config":
        if (!on.has("dotfiles-exposed")) break;
        return send(200, "text/plain", `[core]\n\trepositoryformatversion = 0\n\tbare = false\n[remote "origin"]\n\turl = https://deploy-bot:${SECRETS.gitToken}@github.com/acme/platform.git\n`);
      // Admin pages: the area redirects to the login page, except where a fault opens a page.
      case "/admin/users":
        if (!on.has("admin-page-open")) return send(307, "text/plain", "", { location: "/login?callbackUrl=/admin/users" });
        return html(
          200,
          `<!doctype html><html><head><title>Users</title></head><body><nav><a href="/admin">Dashboard</a><a href="/admin/users">Users</a><a href="/admin/orders">Orders</a></nav><h1>Users</h1><table><thead><tr><th>Name</th><th>E-mail</th><th>Role</th></tr></thead><tbody>${USERS.map((u) => `<tr><td>${u.name}</td><td>${u.email}</td><td>${u.role}</td></tr>`).join("")}</tbody></table></body></html>`,
        );
      case "/admin/settings": // renders the login form in place (no redirect): protected
        return html(200, LOGIN);
      case "/admin":
      case "/admin/orders":
        return send(307, "text/plain", "", { location: `/login?callbackUrl=${path}` });
    }
    if (path.startsWith("/api/")) return json(404, { error: "Not found" });
    return html(200, SHELL); // the SPA fallback: every unknown path, /.env and /dashboard included
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

const CODES = ["net.data_exposure", "net.config_exposure", "net.unprotected_admin_api", "web.admin_page_exposed"];

/** Both bots' exposure findings as [code, severity, path], sorted. */
async function exposures(faults: Fault[]) {
  app = await startApp(faults);
  return exposuresAt(app.url);
}

async function exposuresAt(url: string) {
  // Endpoints: none configured; the bots find them in the pages' scripts.
  const target = siteTarget(url, { endpoints: [], browser: false });
  const results: DiagnosticResult[] = [];
  for (const domain of ["network", "web"] as Domain[]) results.push(await diagnose(domain, target));
  const findings = results.flatMap((r) => r.findings).filter((f) => CODES.includes(f.code));
  const checks = results.flatMap((r) => r.checks).filter((c) => CODES.includes(c.code));
  return {
    found: findings.map((f) => [f.code, f.draft.severity, new URL(f.draft.subject).pathname]).sort(),
    evidence: (code: string, path: string) => findings.find((f) => f.code === code && new URL(f.draft.subject).pathname === path)?.draft.evidence,
    titles: findings.map((f) => f.draft.title),
    checks: checks.map((c) => `${c.code}:${c.status}`).sort(),
    serialized: JSON.stringify(findings),
  };
}

function expectNoSecrets(serialized: string) {
  for (const secret of [...Object.values(SECRETS), DATABASE_URL, ...USERS.map((u) => u.email), "deploy-bot:", "app:"]) expect(serialized).not.toContain(secret);
  expect(serialized).not.toContain(JSON.stringify(SECRETS.hash).slice(1, -1)); // as JSON escapes it
}

describe("exposure checks", () => {
  it("find nothing on a site whose catch-all answers 200 HTML everywhere and whose admin API answers a 200 login page", async () => {
    const { found, checks } = await exposures([]);
    expect(found).toEqual([]);
    expect(checks).toEqual(CODES.map((c) => `${c}:passed`).sort());
  });

  it("judge content: public lists, public keys, documented examples and a 200 refusal are not exposures; an open admin endpoint without records is net.unprotected_admin_api's", async () => {
    const { found, evidence } = await exposures(["public-data"]);
    expect(found).toEqual([["net.unprotected_admin_api", "critical", "/api/admin/health"]]);
    expect(evidence("net.unprotected_admin_api", "/api/admin/health")).toMatchObject({ status: 200, requestCredentials: "none", answer: "data", keys: ["status", "queue"] });
  });

  it("report an admin API that lists users to anonymous callers, with field names and a redacted example only", async () => {
    const { found, evidence, titles, serialized } = await exposures(["admin-api-open"]);
    expect(found).toEqual([["net.data_exposure", "critical", "/api/admin/users"]]);
    expect(evidence("net.data_exposure", "/api/admin/users")).toMatchObject({
      status: 200,
      requestCredentials: "none",
      recordCount: 3,
      recordsAt: "users",
      fields: ["id", "email", "name", "role", "passwordHash"],
      personalFields: ["email"],
      secretFields: ["passwordHash"],
      accountFields: ["role"],
      example: { id: "[number]", email: "a***@loop.test", name: "[text]", role: "[text]", passwordHash: "[redacted]" },
    });
    expect(titles[0]).toBe("/api/admin/users hands 3 records with passwordHash, email and role to anonymous callers");
    expectNoSecrets(serialized);
  });

  it("report debug routes, served dotfiles and a leaked stack trace by what they reveal, naming variables and hosts only", async () => {
    const { found, evidence, serialized } = await exposures(["debug-endpoints", "dotfiles-exposed", "stack-trace"]);
    expect(found).toEqual([
      ["net.config_exposure", "critical", "/.env"],
      ["net.config_exposure", "critical", "/.git/config"],
      ["net.config_exposure", "critical", "/api/debug/config"],
      ["net.config_exposure", "high", "/api/debug"],
      ["net.config_exposure", "high", "/api/health"],
    ]);
    expect(evidence("net.config_exposure", "/.env")).toMatchObject({
      revealed: expect.arrayContaining([
        { kind: "dotenv file", severity: "critical", names: ["DATABASE_URL", "AUTH_SECRET", "STRIPE_SECRET_KEY"] },
        { kind: "connection string with password", severity: "critical", hosts: ["postgresql://10.0.0.5:5432"] },
      ]),
    });
    expect(evidence("net.config_exposure", "/.git/config")).toMatchObject({ revealed: [{ kind: "git config", hosts: ["github.com"], names: ["credentials in a remote URL"] }] });
    expect(evidence("net.config_exposure", "/api/debug")).toMatchObject({
      revealed: [
        { kind: "which secrets are set", severity: "high", names: ["AUTH_SECRET", "NEXTAUTH_SECRET", "STRIPE_SECRET_KEY"] },
        { kind: "internal host", severity: "high", names: ["DATABASE_HOST"], hosts: ["10.0.0.5:5432"] },
      ],
    });
    expect(evidence("net.config_exposure", "/api/debug/config")).toMatchObject({
      revealed: [
        { kind: "secret values", names: ["DATABASE_URL"] },
        { kind: "connection string with password", hosts: ["postgresql://10.0.0.5:5432"] },
        { kind: "stack trace", frames: 3 },
      ],
    });
    expect(evidence("net.config_exposure", "/api/health")).toMatchObject({ status: 500, revealed: [{ kind: "stack trace", files: expect.arrayContaining(["/app/.next/server/app/api/health/route.js"]) }] });
    expectNoSecrets(serialized);
  });

  it("report an admin page that renders its user table for anonymous visitors, not the pages that redirect or show a login form", async () => {
    const { found, evidence, serialized } = await exposures(["admin-page-open"]);
    expect(found).toEqual([["web.admin_page_exposed", "critical", "/admin/users"]]);
    expect(evidence("web.admin_page_exposed", "/admin/users")).toMatchObject({
      status: 200,
      title: "Users",
      passwordForm: false,
      tableRows: 3,
      emailLikeTexts: 3,
      reason: "no password form; the page shows a table with 3 rows and 3 e-mail-like texts",
    });
    expectNoSecrets(serialized);
  });
});

// The same against the platform twin: a real Next.js App Router platform (Auth.js with roles, an
// /admin area, a proxy that gates it), healthy and with its exposure faults on.
describe("exposure checks on the platform twin", () => {
  const twins = twinPerTest();

  async function twinExposures(faults: TwinFault[]) {
    return exposuresAt((await twins.start({ faults })).url);
  }

  it("finds nothing on the healthy twin", async () => {
    const { found, checks } = await twinExposures([]);
    expect(found).toEqual([]);
    // Without a browser the crawl sees only the home page, whose scripts name no admin endpoint:
    // net.unprotected_admin_api has nothing to judge; the others probe their well-known paths.
    expect(checks).toEqual(["net.config_exposure:passed", "net.data_exposure:passed", "net.unprotected_admin_api:skipped", "web.admin_page_exposed:passed"]);
  });

  it("finds the open admin API, the debug routes, the served dotfiles and the open admin page, and copies no secret", async () => {
    const { found, evidence, serialized } = await twinExposures(["admin-api-open", "debug-endpoints", "dotfiles-exposed", "admin-page-open"]);
    expect(found).toEqual([
      ["net.config_exposure", "critical", "/.env"],
      ["net.config_exposure", "critical", "/.git/config"],
      ["net.config_exposure", "critical", "/api/debug/config"],
      ["net.config_exposure", "high", "/api/debug"],
      ["net.data_exposure", "critical", "/api/admin/users"],
      ["web.admin_page_exposed", "critical", "/admin/users"],
    ]);
    expect(evidence("net.data_exposure", "/api/admin/users")).toMatchObject({ recordCount: 5, personalFields: ["email"], accountFields: ["role"], example: { email: "a***@twin.test" } });
    expect(evidence("web.admin_page_exposed", "/admin/users")).toMatchObject({ status: 200, tableRows: 5, passwordForm: false });
    expect(evidence("net.config_exposure", "/api/debug")).toMatchObject({ revealed: expect.arrayContaining([expect.objectContaining({ kind: "which secrets are set", names: expect.arrayContaining(["AUTH_SECRET"]) })]) });
    const leaks = [
      // the seeded accounts
      TWIN_ADMIN.email, TWIN_ADMIN.password, TWIN_USER.email, TWIN_USER.password, "grace@twin.test", "linus@twin.test", "mei@twin.test", "$2a$10$", "$2b$10$",
      // the served .env and .git/config, the twin's server secrets, the database it runs on
      "9f2d7c41b0e8a63f5d1c2e7a8b4f6d30", "sk_live_51HxTwinFixtureNotARealKey", "ghp_TwinFixtureNotARealToken", "app:secret", "platform-twin-auth-secret",
      twins.databaseUrl(), decodeURIComponent(new URL(twins.databaseUrl()).password),
    ];
    for (const leak of leaks) expect(serialized, leak).not.toContain(leak);
  });
});

// Secrets written carelessly: a password with an unencoded @ or /, a map keyed by API keys. What
// is shown must stop at the host and at names that are names.
describe("what the exposure checks show of a hostile answer", () => {
  const answer = (body: string, contentType = "text/plain"): HttpResult => ({ url: "http://127.0.0.1/", status: 200, ttfbMs: 1, totalMs: 1, headers: { "content-type": contentType }, body, bytes: body.length, redirects: [], redirectLoop: false });

  it("shows the host of a connection string, a git remote or a *_HOST variable, never a piece of the password before it", () => {
    const revealed = [
      revealedIn(answer("DATABASE_URL=postgres://app:pa@ss-W0rd@10.0.0.5:5432/db\nNODE_ENV=production\n"), "/.env"),
      revealedIn(answer('[core]\n\trepositoryformatversion = 0\n[remote "origin"]\n\turl = https://bot:ghp_to@ken-9@github.com/acme/app.git\n'), "/.git/config"),
      revealedIn(answer(JSON.stringify({ DB_HOST: "admin:hunt@er2@10.1.1.1:5432", err: "mongodb://u:half/secret@db.internal/app" }), "application/json"), "/api/debug"),
    ];
    expect(revealed[0]).toContainEqual({ kind: "connection string with password", severity: "critical", hosts: ["postgres://10.0.0.5:5432"] });
    expect(revealed[1]).toMatchObject([{ kind: "git config", hosts: ["github.com"] }]);
    expect(revealed[2]).toContainEqual(expect.objectContaining({ kind: "internal host", hosts: ["10.1.1.1:5432"] }));
    const serialized = JSON.stringify(revealed);
    for (const piece of ["ss-W0rd", "ken-9", "er2@", "half", "secret", "app:", "admin"]) expect(serialized, piece).not.toContain(piece);
  });

  it("names fields and keys, not the tokens a map is keyed by", () => {
    expect(readApiAnswer(answer(JSON.stringify({ sk_live_51HxAbCdEf0123456789: { owner: 1 }, plan: "pro" }), "application/json"))).toEqual({ kind: "data", keys: ["plan"] });
    const report = judgeFields([{ id: 1, email: "a@b.test", keys: { ghp_1a2b3c4d5e6f7a8b9c: "x" } }]);
    expect(report.fields).toEqual(["id", "email"]);
  });

  it("quotes a page title printable, short and without its e-mail addresses", () => {
    const { title } = readPage(`<html><head><title>\u001b]0;owned\u0007 Users &#27;[2J of ops@loop.test ${"x".repeat(300)}</title></head><body></body></html>`, "http://127.0.0.1/admin/users", "/admin");
    expect(title).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
    expect(title).toContain("Users");
    expect(title).not.toContain("ops@loop.test");
    expect(title.length).toBeLessThanOrEqual(120);
  });

  it("reads a page with a long unbroken word in linear time (e-mail addresses are looked for in its text)", () => {
    const started = performance.now();
    const { emails } = readPage(`<html><body><pre>${"A0".repeat(100_000)}</pre><p>ops@loop.test</p></body></html>`, "http://127.0.0.1/admin", "/admin");
    expect(emails).toEqual(["ops@loop.test"]);
    expect(performance.now() - started).toBeLessThan(1_000);
  });
});
