import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { type Browser, expect, test } from "@playwright/test";
import { createUser } from "../lib/standalone/auth/users";
import { createPrismaClient } from "../lib/db";
import { type Answer, IDENTITIES, type Identity, NOBODY, call, identityCookies } from "./support/identities";
import { login } from "./support/login";
import { signInFrom } from "./support/sign-in-from";
import { ADMIN, E2E_CRON_SECRET, E2E_METRICS_TOKEN, LOCKOUT, SESSION_RECHECK_SECONDS } from "./support/users";

/**
 * Every route and page, and who may use it. `route` is its path (the test below fails when a row
 * of the add-on's route table, a section of its page or a file under app/ has no line here);
 * `admin` is what an admin gets. Rows run in order:
 * the POST that starts a run comes first, so later rows use its id, and the cancel right after
 * it, while the run is still active.
 *  admin       API for admin sessions: 401 to nobody, 403 to viewers (JSON with error.code)
 *  metrics     the same, or the metrics bearer token
 *  cron        the cron bearer secret only: every session gets 401
 *  public      Auth.js's own endpoints: anyone
 *  adminPage   nobody is sent to /login, viewers get the 403 page
 *  loginPage   anyone but an admin, who is sent on to the dashboard
 */
type Access = "admin" | "metrics" | "cron" | "public" | "adminPage" | "loginPage";
interface Row {
  method: "GET" | "POST" | "PATCH" | "DELETE";
  route: string;
  access: Access;
  admin: number;
  query?: string;
  body?: unknown;
  /** Where an admin lands (pages that redirect). */
  landsOn?: string;
}

const ROUTES: Row[] = [
  { method: "POST", route: "/api/admin/bots/runs", access: "admin", admin: 202, body: { initialIssue: "authorization matrix" } },
  { method: "POST", route: "/api/admin/bots/runs/[runId]/cancel", access: "admin", admin: 202 },
  // Only an interrupted run resumes: the cancelled one above answers 409, past authorization.
  { method: "POST", route: "/api/admin/bots/runs/[runId]/resume", access: "admin", admin: 409 },
  { method: "GET", route: "/api/admin/bots/runs", access: "admin", admin: 200 },
  { method: "GET", route: "/api/admin/bots/runs/[runId]", access: "admin", admin: 200 },
  { method: "GET", route: "/api/admin/bots/runs/[runId]/events", access: "admin", admin: 200 },
  { method: "GET", route: "/api/admin/bots/runs/[runId]/export", access: "admin", admin: 200, query: "?format=md" },
  // A run needs a pending fix for a 200 (runs.spec approves one); an unknown action proves that
  // the admin got past authorization to the action lookup.
  { method: "POST", route: "/api/admin/bots/runs/[runId]/decisions", access: "admin", admin: 404, body: { actionId: "no-such-action", decision: "approve" } },
  { method: "GET", route: "/api/admin/bots/runs/[runId]/deploy", access: "admin", admin: 200 },
  { method: "GET", route: "/api/admin/bots/checks", access: "admin", admin: 200 },
  // Unknown ids and empty bodies: an admin's answer shows it got past authorization.
  { method: "GET", route: "/api/admin/bots/targets", access: "admin", admin: 200 },
  { method: "POST", route: "/api/admin/bots/targets", access: "admin", admin: 422, body: {} },
  { method: "GET", route: "/api/admin/bots/targets/[id]", access: "admin", admin: 404 },
  { method: "PATCH", route: "/api/admin/bots/targets/[id]", access: "admin", admin: 404, body: { name: "matrix" } },
  { method: "DELETE", route: "/api/admin/bots/targets/[id]", access: "admin", admin: 404 },
  { method: "GET", route: "/api/admin/bots/issues", access: "admin", admin: 200 },
  { method: "GET", route: "/api/admin/bots/issues/[issueId]", access: "admin", admin: 404 },
  { method: "POST", route: "/api/admin/bots/issues/[issueId]/state", access: "admin", admin: 404, body: { state: "acknowledged" } },
  { method: "GET", route: "/api/admin/bots/alert-channels", access: "admin", admin: 200 },
  { method: "POST", route: "/api/admin/bots/alert-channels", access: "admin", admin: 422, body: {} },
  { method: "PATCH", route: "/api/admin/bots/alert-channels/[id]", access: "admin", admin: 404, body: { enabled: false } },
  { method: "DELETE", route: "/api/admin/bots/alert-channels/[id]", access: "admin", admin: 404 },
  { method: "POST", route: "/api/admin/bots/alert-channels/[id]/test", access: "admin", admin: 404 },
  { method: "GET", route: "/api/admin/bots/database/live", access: "admin", admin: 200 },
  { method: "POST", route: "/api/admin/bots/database/sessions/actions", access: "admin", admin: 422, body: {} },
  { method: "GET", route: "/api/admin/bots/health", access: "admin", admin: 200 },
  { method: "GET", route: "/api/admin/bots/database", access: "admin", admin: 200 },
  { method: "GET", route: "/api/admin/bots/logs", access: "admin", admin: 200 },
  { method: "GET", route: "/api/admin/bots/monitoring/export", access: "admin", admin: 200, query: "?format=csv" },
  { method: "GET", route: "/api/admin/bots/metrics", access: "metrics", admin: 200 },
  { method: "GET", route: "/api/admin/bots/[...path]", access: "admin", admin: 404 },
  { method: "POST", route: "/api/admin/bots/[...path]", access: "admin", admin: 404, body: {} },
  { method: "GET", route: "/api/admin/bots/cron", access: "cron", admin: 401 },
  { method: "GET", route: "/api/auth/[...nextauth]", access: "public", admin: 200 },
  { method: "GET", route: "/admin/troubleshooting", access: "adminPage", admin: 200 },
  { method: "GET", route: "/admin/troubleshooting/runs", access: "adminPage", admin: 200 },
  { method: "GET", route: "/admin/troubleshooting/runs/[runId]", access: "adminPage", admin: 200 },
  { method: "GET", route: "/admin/troubleshooting/issues", access: "adminPage", admin: 200 },
  { method: "GET", route: "/admin/troubleshooting/issues/[issueId]", access: "adminPage", admin: 200 },
  { method: "GET", route: "/admin/troubleshooting/history", access: "adminPage", admin: 200 },
  { method: "GET", route: "/admin/troubleshooting/checks", access: "adminPage", admin: 200 },
  { method: "GET", route: "/admin/troubleshooting/alerts", access: "adminPage", admin: 200 },
  { method: "GET", route: "/admin/troubleshooting/database", access: "adminPage", admin: 200 },
  { method: "GET", route: "/admin/troubleshooting/targets", access: "adminPage", admin: 200 },
  { method: "GET", route: "/admin/troubleshooting/monitoring", access: "adminPage", admin: 200 },
  { method: "GET", route: "/", access: "adminPage", admin: 200, landsOn: "/admin/troubleshooting" },
  { method: "GET", route: "/login", access: "loginPage", admin: 200, landsOn: "/admin/troubleshooting" },
];

const RUNS = "/api/admin/bots/runs";
const bearer = (secret: string) => ({ authorization: `Bearer ${secret}` });
const errorCode = (answer: Answer) => (JSON.parse(answer.text) as { error: { code: string } }).error.code;

/** The standalone app's own route files: the add-on mounted as any host mounts it, plus sign-in. */
const APP_FILES = ["/", "/admin/troubleshooting/[[...path]]", "/api/admin/bots/[...path]", "/api/auth/[...nextauth]", "/login"];
const PAGE_SECTIONS = ["", "/runs", "/runs/[runId]", "/issues", "/issues/[issueId]", "/history", "/checks", "/monitoring", "/alerts", "/database", "/targets"];
/** The rows of the add-on's route table (lib/api/routes.ts and the lib/api/*-routes.ts it spreads),
 * read from their source: importing them here would load Next's server modules into the test runner. */
const API_ROUTES = ["routes.ts", ...readdirSync("lib/api").filter((f) => f.endsWith("-routes.ts"))]
  .flatMap((file) => [...readFileSync(path.join("lib/api", file), "utf8").matchAll(/method: "(\w+)", path: "([^"]+)"/g)])
  .map((m) => ({ method: m[1], path: m[2] as string }));

/** Route patterns of app/: "app/api/x/[id]/route.ts" is "/api/x/[id]". */
function appRoutes(dir = "app", prefix = ""): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    if (entry.isDirectory()) return appRoutes(path.join(dir, entry.name), `${prefix}/${entry.name}`);
    return /^(route\.ts|page\.tsx)$/.test(entry.name) ? [prefix || "/"] : [];
  });
}

test("the table below lists every route and page of the app", () => {
  expect(appRoutes().sort()).toEqual([...APP_FILES].sort());
  expect(API_ROUTES.length).toBeGreaterThan(10);
  const rows = new Set(ROUTES.map((r) => `${r.method} ${r.route}`));
  for (const route of API_ROUTES) expect(rows, `${route.method} ${route.path}`).toContain(`${route.method} /api/admin/bots${route.path.replace(/:(\w+)/g, "[$1]")}`);
  for (const section of PAGE_SECTIONS) expect(rows).toContain(`GET /admin/troubleshooting${section}`);
});

test("authorization matrix: every route and page, for nobody, forged sessions, a viewer and an admin", async ({ browser, baseURL }) => {
  test.setTimeout(120_000);
  const base = baseURL as string;
  const cookies = await identityCookies(browser, base);
  let runId = "cmwuaaaaaaaaaaaaaaaaaaaaa";
  const started: string[] = [];
  for (const row of ROUTES) {
    for (const who of IDENTITIES) {
      const concrete = row.route.replace("[runId]", runId).replace(/\[(id|issueId)\]/, "cmnosuchidaaaaaaaaaaaaaaa").replace("[...path]", "no-such-endpoint").replace("[...nextauth]", "session");
      const label = `${who} ${row.method} ${concrete}`;
      // A browser sends its own Origin on a same-site POST: that must pass the cross-site rule.
      const answer = await call(`${base}${concrete}${row.query ?? ""}`, {
        method: row.method,
        cookie: cookies[who],
        body: row.body,
        headers: row.method === "GET" ? {} : { origin: base },
      });
      expectAccess(row, who, answer, concrete, label);
      if (who === "admin" && row.method === "POST" && row.route === RUNS) started.push((runId = (JSON.parse(answer.text) as { runId: string }).runId));
    }
    if (row.access === "metrics") expect((await call(`${base}${row.route}`, { headers: bearer(E2E_METRICS_TOKEN) })).status).toBe(200);
    if (row.access === "cron") {
      const cron = await call(`${base}${row.route}`, { headers: bearer(E2E_CRON_SECRET) });
      const body = JSON.parse(cron.text) as { started: boolean; runId: string };
      expect(cron.status).toBe(body.started ? 202 : 200);
      if (body.started) started.push(body.runId);
    }
  }
  await endRuns(base, cookies.admin, started);
});

function expectAccess(row: Row, who: Identity, answer: Answer, concrete: string, label: string) {
  const nobody = NOBODY.includes(who);
  if (row.access === "public") return expect(answer.status, label).toBe(200);
  if (row.access === "adminPage" || row.access === "loginPage") {
    const landed = new URL(answer.url);
    if (who === "admin") {
      expect(answer.status, label).toBe(row.admin);
      return expect(landed.pathname, label).toBe(row.landsOn ?? concrete);
    }
    if (row.access === "loginPage" || nobody) {
      expect(answer.status, label).toBe(200);
      return expect(landed.pathname, label).toBe("/login");
    }
    expect(answer.status, label).toBe(403);
    return expect(answer.text, label).toContain("Administrators only");
  }
  const expected = who === "admin" ? row.admin : nobody || row.access === "cron" ? 401 : 403;
  expect(answer.status, label).toBe(expected);
  if (who === "admin" && row.access !== "cron") return;
  expect(answer.contentType, label).toContain("application/json");
  expect(errorCode(answer), label).toBe(expected === 401 ? "unauthenticated" : "forbidden");
}

/** Cancels the runs the matrix started and waits until they have ended, for the specs after it. */
async function endRuns(base: string, cookie: string, runIds: string[]) {
  for (const id of runIds) {
    await call(`${base}${RUNS}/${id}/cancel`, { method: "POST", cookie });
    await expect
      .poll(async () => (JSON.parse((await call(`${base}${RUNS}/${id}`, { cookie })).text) as { status: string }).status, { timeout: 60_000 })
      .toMatch(/^(completed|cancelled|failed)$/);
  }
}

test("a cross-site POST with the admin's cookie is refused and starts no run", async ({ browser, baseURL }) => {
  const base = baseURL as string;
  const { admin } = await identityCookies(browser, base);
  const total = async () => (JSON.parse((await call(`${base}${RUNS}`, { cookie: admin })).text) as { total: number }).total;
  const before = await total();
  const refused: Record<string, string>[] = [{ origin: "https://evil.example" }, { origin: base, "sec-fetch-site": "cross-site" }, { origin: "null" }];
  for (const headers of refused) {
    const answer = await call(`${base}${RUNS}`, { method: "POST", cookie: admin, headers, body: { initialIssue: "csrf" } });
    expect(answer.status, JSON.stringify(headers)).toBe(403);
    expect(errorCode(answer)).toBe("cross_site_request");
  }
  expect(await total()).toBe(before);
});

test("after 5 wrong passwords the right one is refused with the rate-limit message", async ({ page }) => {
  await page.goto("/login");
  const form = page.locator("form").filter({ has: page.getByLabel("Password") });
  // React resets the form after each submission: fill both fields every time.
  const attempt = async (password: string) => {
    await page.getByLabel("E-mail").fill(LOCKOUT.email);
    await page.getByLabel("Password").fill(password);
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
  };
  for (let i = 0; i < 5; i++) {
    await attempt(`wrong-password-${i}`);
    await expect(form.getByRole("alert")).toHaveText("Wrong e-mail or password.");
    await expect(page.getByRole("button", { name: "Sign in", exact: true })).toBeEnabled();
  }
  await attempt(LOCKOUT.password);
  await expect(form.getByRole("alert")).toHaveText(/Too many failed sign-in attempts/);
  await expect(page).toHaveURL(/\/login/);
  expect(await (await page.request.get("/api/auth/session")).json()).toBeNull();

  // Auth.js's own endpoint refuses it too, and sends the browser back to the form with the reason.
  const { csrfToken } = (await (await page.request.get("/api/auth/csrf")).json()) as { csrfToken: string };
  const refused = await page.request.post("/api/auth/callback/credentials", { form: { csrfToken, ...LOCKOUT }, maxRedirects: 0 });
  const location = refused.headers().location ?? "";
  expect(location).toMatch(/\/login\?error=CredentialsSignin&code=rate_limited$/);
  await page.goto(location);
  await expect(form.getByRole("alert")).toHaveText(/Too many failed sign-in attempts/);
  expect(await (await page.request.get("/api/auth/session")).json()).toBeNull();
});

test("admin pages send a CSP with a fresh nonce per response, on every script", async ({ browser, baseURL }) => {
  const base = baseURL as string;
  const { admin } = await identityCookies(browser, base);
  const nonces: string[] = [];
  for (let i = 0; i < 2; i++) {
    const res = await fetch(`${base}/admin/troubleshooting/history`, { headers: { cookie: admin } });
    expect(res.status).toBe(200);
    const csp = res.headers.get("content-security-policy") ?? "";
    const nonce = /script-src 'self' 'nonce-([A-Za-z0-9+/=]{16,})' 'strict-dynamic'(;|$)/.exec(csp)?.[1];
    expect(nonce, csp).toBeDefined();
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toMatch(/script-src[^;]*'unsafe-(inline|eval)'/);
    const scripts = (await res.text()).match(/<script\b[^>]*>/g) ?? [];
    expect(scripts.length).toBeGreaterThan(0);
    for (const tag of scripts) expect(tag).toContain(`nonce="${nonce}"`);
    nonces.push(nonce as string);
  }
  expect(nonces[0]).not.toBe(nonces[1]);
});

test("pages run their scripts under the CSP: no violation on the dashboard, the charts and a run page", async ({ page }) => {
  const violations: string[] = [];
  page.on("console", (message) => {
    if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
  });
  // window.next is set by Next's client bootstrap: it exists only if the nonced scripts ran.
  const bootstrapped = () => page.evaluate(() => Boolean((window as { next?: unknown }).next));
  await login(page, ADMIN, { callbackPath: "/admin/troubleshooting/history" });
  await expect(page.getByRole("heading", { name: "History" })).toBeVisible();
  expect(await bootstrapped()).toBe(true);
  const { runs } = (await (await page.request.get(`${RUNS}?pageSize=1`)).json()) as { runs: { id: string }[] };
  expect(runs.length).toBe(1); // the matrix above started runs
  await page.goto(`/admin/troubleshooting/runs/${runs[0]?.id}`);
  expect(await bootstrapped()).toBe(true);
  await page.getByRole("navigation", { name: "Troubleshooting sections" }).getByRole("link", { name: "Overview" }).click();
  await expect(page).toHaveURL(/\/admin\/troubleshooting$/);
  expect(await bootstrapped()).toBe(true);
  expect(violations).toEqual([]);
});

test("a forged X-Forwarded-For per attempt still hits the address limit, and the audit log names the real peer", async ({ baseURL }) => {
  test.setTimeout(120_000);
  const base = baseURL as string;
  // A loopback address of its own: the lockout below must not reach the other specs' sign-ins.
  const peer = "127.0.0.2";
  const emails = Array.from({ length: 21 }, (_, i) => `xff-${i}@e2e.test`);
  // 20 failed attempts (the address limit), each on a new account and from a new claimed address.
  for (const [i, email] of emails.slice(0, 20).entries()) {
    const code = await signInFrom(base, peer, { email, password: "wrong-password" }, { "x-forwarded-for": `203.0.113.${i + 1}`, "x-real-ip": `198.51.100.${i + 1}` });
    expect(code, email).toBe("credentials");
  }
  const last = emails[20] as string;
  expect(await signInFrom(base, peer, { email: last, password: "wrong-password" }, { "x-forwarded-for": "203.0.113.99" })).toBe("rate_limited");

  const prisma = createPrismaClient(process.env.E2E_DATABASE_URL as string);
  try {
    const audit = await prisma.auditLog.findMany({ where: { actorEmail: { in: emails } }, orderBy: { id: "asc" } });
    expect(audit.map((a) => a.action)).toEqual([...Array(20).fill("auth.login_failed"), "auth.login_rate_limited"]);
    for (const entry of audit) expect((entry.detail as { address?: string }).address, entry.action).toBe(peer);
  } finally {
    await prisma.$disconnect();
  }
});

/** The Cookie header of a fresh browser context signed in as `user`, and that context's page. */
async function signedIn(browser: Browser, base: string, user: { email: string; password: string }) {
  const context = await browser.newContext({ baseURL: base });
  const page = await context.newPage();
  await login(page, user);
  const cookie = (await context.cookies()).map((c) => `${c.name}=${c.value}`).join("; ");
  return { context, page, cookie };
}

const HEALTH = "/api/admin/bots/health";
/** How long a revocation may take to be seen: the e2e app's recheck window, with slack. */
const WINDOW_MS = (SESSION_RECHECK_SECONDS + 3) * 1000;

test("a copied session cookie stops working once its session signs out", async ({ browser, baseURL }) => {
  const base = baseURL as string;
  const { context, page, cookie } = await signedIn(browser, base, ADMIN);
  // Another session of the same admin, which the sign-out must leave alone.
  const other = await signedIn(browser, base, ADMIN);
  try {
    expect((await call(`${base}${HEALTH}`, { cookie })).status).toBe(200);
    await page.goto("/admin/troubleshooting/history");
    await page.getByRole("button", { name: "Sign out" }).click();
    await expect(page).toHaveURL(/\/login/);
    await expect.poll(async () => (await call(`${base}${HEALTH}`, { cookie })).status, { timeout: WINDOW_MS }).toBe(401);
    expect(await (await fetch(`${base}/api/auth/session`, { headers: { cookie } })).json()).toBeNull();
    expect((await call(`${base}/admin/troubleshooting`, { cookie })).url).toMatch(/\/login/);
    expect((await call(`${base}${HEALTH}`, { cookie: other.cookie })).status).toBe(200);
  } finally {
    await context.close();
    await other.context.close();
  }
});

test("a demoted admin loses admin access within the recheck window, and regains it when promoted again", async ({ browser, baseURL }) => {
  const base = baseURL as string;
  const prisma = createPrismaClient(process.env.E2E_DATABASE_URL as string);
  const user = { email: "demoted@e2e.test", password: "e2e-demoted-password-1" };
  const { id } = await createUser(prisma, { ...user, role: "ADMIN" });
  const { context, cookie } = await signedIn(browser, base, user);
  try {
    expect((await call(`${base}${HEALTH}`, { cookie })).status).toBe(200);
    await prisma.user.update({ where: { id }, data: { role: "VIEWER" } });
    await expect.poll(async () => (await call(`${base}${HEALTH}`, { cookie })).status, { timeout: WINDOW_MS }).toBe(403);
    await prisma.user.update({ where: { id }, data: { role: "ADMIN" } });
    await expect.poll(async () => (await call(`${base}${HEALTH}`, { cookie })).status, { timeout: WINDOW_MS }).toBe(200);
  } finally {
    await context.close();
    await prisma.$disconnect();
  }
});

test("a wrong method answers 401 to anybody without credentials and 403 to a viewer, before 405", async ({ browser, baseURL }) => {
  const base = baseURL as string;
  const cookies = await identityCookies(browser, base);
  const wrong: [string, string][] = [
    ["DELETE", RUNS],
    ["PUT", HEALTH],
    ["PATCH", "/api/admin/bots/runs/some-run/cancel"],
    ["OPTIONS", "/api/admin/bots/metrics"],
    ["POST", "/api/admin/bots/cron"],
  ];
  for (const [method, route] of wrong) {
    for (const who of IDENTITIES) {
      const label = `${who} ${method} ${route}`;
      const res = await fetch(`${base}${route}`, { method, headers: cookies[who] ? { cookie: cookies[who], origin: base } : { origin: base } });
      if (NOBODY.includes(who)) {
        expect(res.status, label).toBe(401);
        expect(res.headers.get("allow"), label).toBeNull();
        expect(((await res.json()) as { error: { code: string } }).error.code, label).toBe("unauthenticated");
      } else if (who === "viewer") {
        expect(res.status, label).toBe(403);
      } else {
        // Only an admin learns the methods the path has.
        expect(res.status, label).toBe(405);
        expect(res.headers.get("allow"), label).toBeTruthy();
      }
    }
  }
  // The machine secrets are credentials too: the metrics token gets past the door to the 405.
  expect((await fetch(`${base}/api/admin/bots/metrics`, { method: "DELETE", headers: bearer(E2E_METRICS_TOKEN) })).status).toBe(405);
});
