// The add-on mounted in a host (the platform twin, fixtures/platform): the host's sign-in, admin
// layout, proxy (CSP with a per-request nonce, sign-in gate) and users; the add-on's page and API
// at the host's chosen paths. Only the `mounted` project runs this file.
import pg from "pg";
import { APP_SCHEMA } from "../lib/own-schemas";
import { runReportSchema } from "../lib/troubleshooting/report";
import { login } from "./support/login";
import { startLongQuery } from "./support/long-query";
import { addonDatabaseUrl, pathRegExp, platformDatabaseUrl } from "./support/mount";
import { runsPath } from "./support/runs";
import { expect, test } from "./support/test";

/** One query on the host's database (the add-on's schema first on the search path). */
async function query<Row>(databaseUrl: string, text: string, values: unknown[] = []): Promise<Row[]> {
  const db = new pg.Client({ connectionString: databaseUrl, options: `-c search_path=${APP_SCHEMA},public` });
  await db.connect();
  try {
    return (await db.query(text, values)).rows as Row[];
  } finally {
    await db.end();
  }
}

test("the host's admin opens Troubleshooting from the host's sidebar, runs it live under the host's CSP, approves a fix and reads the verified report", async ({ page, addon }, testInfo) => {
  test.setTimeout(180_000); // the web bot crawls the whole twin in Chromium
  const shot = (name: string) => page.screenshot({ path: testInfo.outputPath(`${name}.png`), fullPage: true });
  // Every CSP violation the page reports, and every console line that names the policy.
  await page.addInitScript(() => {
    const seen: string[] = [];
    (window as unknown as { cspViolations: string[] }).cspViolations = seen;
    document.addEventListener("securitypolicyviolation", (event) => seen.push(`${event.violatedDirective} ${event.blockedURI} ${event.sourceFile}:${event.lineNumber} ${location.pathname}`));
  });
  const cspConsole: string[] = [];
  page.on("console", (message) => {
    if (/content security policy/i.test(message.text())) cspConsole.push(message.text());
  });
  const pageErrors: string[] = [];
  page.on("pageerror", (error) => pageErrors.push(error.message));

  await login(page, addon.admin, { callbackPath: "/admin" });
  const victim = await startLongQuery(platformDatabaseUrl(addon), "e2e-mounted-victim");
  try {
    // The host's own admin overview, then its sidebar's link to the add-on.
    await page.goto("/admin");
    const sidebar = page.getByRole("navigation", { name: "Admin" });
    await sidebar.getByRole("link", { name: "Troubleshooting" }).click();
    await expect(page).toHaveURL(pathRegExp(addon.page, "$"));
    // Inside the host's admin layout: the add-on's root sits in the layout's section, next to the
    // host's sidebar, which marks the add-on's link as the current page.
    const root = page.locator(".admin > section > .troubleshooter");
    await expect(root).toBeVisible();
    await expect(sidebar.getByRole("link", { name: "Troubleshooting" })).toHaveAttribute("aria-current", "page");
    const served = await page.request.get(addon.page);
    expect(served.headers()["content-security-policy"]).toMatch(/script-src 'self' 'nonce-[^']+' 'strict-dynamic'/);
    await shot("mounted-overview");

    // The add-on's page hydrated (its form starts a run) and its live stream passes the host's proxy.
    const stream = page.waitForResponse((response) => response.url().includes(`${runsPath(addon)}/`) && response.url().includes("/events"));
    await root.getByLabel("What are users seeing? (optional)").fill("Checkout pages hang since this morning");
    await root.getByRole("button", { name: "Run troubleshooting" }).click();
    await page.waitForURL(pathRegExp(addon.page, "/runs/[a-z0-9]+$"));
    const runId = page.url().split("/").at(-1) as string;
    const events = await stream;
    expect(events.status()).toBe(200);
    expect(events.headers()["content-type"]).toContain("text/event-stream");

    await expect(page.getByTestId("phase-diagnostics")).toHaveAttribute("data-state", "completed", { timeout: 90_000 });
    await expect(page.getByTestId("run-status")).toContainText("awaiting approval", { timeout: 30_000 });
    await expect(sidebar.getByRole("link", { name: "Troubleshooting" })).toHaveAttribute("aria-current", "page");
    const longQuery = page.locator('[data-testid="issue-row"][data-code="db.long_running_query"]');
    await expect(longQuery).toContainText("e2e-mounted-victim");
    await shot("mounted-awaiting-approval");

    const cancel = page.locator('[data-testid="action-row"][data-code="db.cancel_query"]');
    await cancel.getByRole("button", { name: "Approve" }).click();
    await expect(page.getByTestId("run-status")).toContainText("completed", { timeout: 60_000 });
    await expect(cancel).toHaveAttribute("data-status", "applied");
    await expect(cancel).toContainText(`Approved by ${addon.admin.email}`);
    expect(await victim.outcome).toMatch(/canceling statement due to user request/);
    await shot("mounted-completed");

    // The report: issues, actions, verification, and the host's user as the decider.
    const report = runReportSchema.parse(await (await page.request.get(`${runsPath(addon)}/${runId}`)).json());
    expect(report).toMatchObject({ runId, status: "completed", trigger: "manual", initialIssue: "Checkout pages hang since this morning" });
    const issue = report.issues.find((i) => i.code === "db.long_running_query" && i.evidence.application === "e2e-mounted-victim");
    expect(issue?.status).toBe("resolved");
    expect(report.actions.find((a) => a.issueIds.includes(issue!.id))).toMatchObject({ code: "db.cancel_query", status: "applied", verified: true, decidedBy: addon.admin.email });

    // Rows record the host's user (its own id, from its users table) as text: id and e-mail.
    const [host] = await query<{ id: number }>(addonDatabaseUrl(addon), "SELECT id FROM public.users WHERE email = $1", [addon.admin.email]);
    const hostUserId = String(host!.id);
    const [run] = await query<{ requestedById: string; requestedByEmail: string }>(addonDatabaseUrl(addon), `SELECT "requestedById", "requestedByEmail" FROM "TroubleshootingRun" WHERE id = $1`, [runId]);
    expect(run).toEqual({ requestedById: hostUserId, requestedByEmail: addon.admin.email });
    const decisions = await query<{ decidedById: string; decidedByEmail: string }>(addonDatabaseUrl(addon), `SELECT "decidedById", "decidedByEmail" FROM "FixAction" WHERE "runId" = $1 AND code = 'db.cancel_query'`, [runId]);
    expect(decisions).toContainEqual({ decidedById: hostUserId, decidedByEmail: addon.admin.email });
    const audit = await query<{ actorId: string; actorEmail: string }>(addonDatabaseUrl(addon), `SELECT "actorId", "actorEmail" FROM "AuditLog" WHERE "actorEmail" IS NOT NULL`);
    expect(audit.length).toBeGreaterThan(0);
    expect(audit.every((row) => row.actorId === hostUserId && row.actorEmail === addon.admin.email)).toBe(true);

    // Under the host's CSP nothing was blocked and nothing threw.
    const violations = await page.evaluate(() => (window as unknown as { cspViolations: string[] }).cspViolations);
    expect({ violations, console: cspConsole, pageErrors }).toEqual({ violations: [], console: [], pageErrors: [] });
  } finally {
    await victim.end();
  }
});

test("a signed-in user who is not the host's admin gets 403 from the page and the API", async ({ page, addon }) => {
  await login(page, addon.viewer);
  const overview = await page.goto(addon.page);
  expect(overview?.status()).toBe(403);
  await expect(page.locator(".troubleshooter")).toHaveCount(0);
  expect((await page.goto(`${addon.page}/history`))?.status()).toBe(403);
  expect((await page.request.get(runsPath(addon))).status()).toBe(403);
  expect((await page.request.post(runsPath(addon), { data: {} })).status()).toBe(403);
  expect((await page.request.post(`${runsPath(addon)}/cmwuaaaaaaaaaaaaaaaaaaaaa/decisions`, { data: { actionId: "x", decision: "approve" } })).status()).toBe(403);
  expect((await page.request.get(`${addon.api}/health`)).status()).toBe(403);
});

test("an anonymous visitor gets 401 from the API for every method, on known and unknown paths, and the host's sign-in for the page", async ({ page, request, addon }) => {
  const paths = [`${addon.api}/runs`, `${addon.api}/runs/cmwuaaaaaaaaaaaaaaaaaaaaa`, `${addon.api}/health`, `${addon.api}/logs`, `${addon.api}/no-such-route`, `${addon.api}/no/such/route`];
  for (const path of paths) {
    for (const method of ["GET", "POST", "PUT", "PATCH", "DELETE"]) {
      const answer = await request.fetch(path, { method, data: method === "GET" ? undefined : {}, maxRedirects: 0 });
      expect(answer.status(), `${method} ${path}`).toBe(401);
      expect(answer.headers()["content-type"], `${method} ${path}`).toContain("application/json");
    }
  }
  // The host's proxy sends signed-out visitors of its admin area to its own sign-in page.
  for (const path of [addon.page, `${addon.page}/history`]) {
    await page.goto(path);
    expect(new URL(page.url()).pathname).toBe("/login");
    expect(new URL(page.url()).searchParams.get("callbackUrl")).toBe(path);
  }
  await expect(page.getByRole("heading", { name: "Sign in" })).toBeVisible();
});

test("a cross-site POST with the host admin's session is refused and starts no run", async ({ page, baseURL, addon }) => {
  await login(page, addon.admin);
  const total = async () => ((await (await page.request.get(runsPath(addon))).json()) as { total: number }).total;
  const before = await total();
  const refused: Record<string, string>[] = [{ origin: "https://evil.example" }, { origin: baseURL as string, "sec-fetch-site": "cross-site" }, { origin: "null" }];
  for (const headers of refused) {
    const answer = await page.request.post(runsPath(addon), { headers, data: { initialIssue: "csrf" } });
    expect(answer.status(), JSON.stringify(headers)).toBe(403);
    expect(((await answer.json()) as { error: { code: string } }).error.code).toBe("cross_site_request");
  }
  expect(await total()).toBe(before);
});
