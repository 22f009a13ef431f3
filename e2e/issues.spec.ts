// Issues across runs, in the browser: three real database runs find the same duplicate index (a
// fault made for this spec in the platform's database, under a fresh name), and /issues shows it
// once, "seen in 3 runs"; its page lists the three runs; snoozing takes it out of the open tab;
// ignoring it with a reason makes the next run's report say it was ignored (not counted in the
// score); axe finds nothing serious on /issues, /issues/:id and that run's page at the four viewports.
import pg from "pg";
import { SCAN_VIEWPORTS, seriousA11yFindings, setScanViewport as viewAt } from "./support/axe";
import { login } from "./support/login";
import { type Mount, addonDatabaseUrl, pathRegExp } from "./support/mount";
import { runsPath, startOrJoinRun, untilSettled } from "./support/runs";
import { expect, test } from "./support/test";
import type { APIRequestContext } from "@playwright/test";

async function sql(url: string, text: string) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}

/** A database-only run to its end: fixes it asks a decision for are rejected (this spec is about
 * what it found, not what it changed). */
async function completedRun(request: APIRequestContext, addon: Mount): Promise<string> {
  const runId = await startOrJoinRun(request, addon, { domains: ["database"], initialIssue: "e2e issues across runs" });
  let status = await untilSettled(request, addon, runId, 120_000);
  while (status === "awaiting_approval") {
    const report = (await (await request.get(`${runsPath(addon)}/${runId}`)).json()) as { actions: { id: string; status: string }[] };
    for (const action of report.actions.filter((a) => a.status === "pending_approval")) {
      await request.post(`${runsPath(addon)}/${runId}/decisions`, { data: { actionId: action.id, decision: "reject" } });
    }
    await expect.poll(async () => ((await (await request.get(`${runsPath(addon)}/${runId}`)).json()) as { status: string }).status, { timeout: 60_000 }).not.toBe("awaiting_approval");
    status = await untilSettled(request, addon, runId, 120_000);
  }
  expect(status).toBe("completed");
  return runId;
}

test("an issue seen in three runs is one issue; snooze hides it; ignored, the next report says so", async ({ page, addon }, testInfo) => {
  test.setTimeout(480_000);
  const shot = (name: string) => page.screenshot({ path: testInfo.outputPath(`${name}.png`), fullPage: true });
  const scanAll = async (name: string) => {
    await page.mouse.move(0, 0);
    for (const viewport of SCAN_VIEWPORTS) {
      await viewAt(page, viewport);
      await shot(`${name}-${viewport.name}`);
      expect(await seriousA11yFindings(page, testInfo, `${name}-${viewport.name}`), `${name} at ${viewport.name}`).toEqual([]);
    }
    await viewAt(page, SCAN_VIEWPORTS[0]);
  };
  const table = `e2e_issues_${Date.now().toString(36)}`;
  const owner = addonDatabaseUrl(addon);
  await sql(owner, `CREATE TABLE public.${table} (id int); CREATE INDEX ${table}_a ON public.${table} (id); CREATE INDEX ${table}_b ON public.${table} (id)`);
  try {
    await login(page, addon.admin);
    const runs = [];
    for (let i = 0; i < 3; i++) runs.push(await completedRun(page.request, addon));

    // The list: one row for the duplicate index, seen in 3 runs, on the default target.
    await viewAt(page, SCAN_VIEWPORTS[0]);
    await page.goto(`${addon.page}/issues?target=default`);
    const row = page.locator('[data-testid="issue-group-row"]', { hasText: `${table}_b` });
    await expect(row).toHaveCount(1);
    await expect(row.getByTestId("runs-seen")).toHaveText("seen in 3 runs");
    await expect(row).toContainText("default");
    await expect(row.getByTestId("issue-state")).toHaveAttribute("data-state", "open");
    await expect(page.getByRole("link", { name: "Open", exact: true })).toHaveAttribute("aria-current", "page");
    await scanAll("issues-list");

    // Its page: first and last seen, the three runs that saw it, each linked to its run.
    await row.getByRole("link").click();
    await expect(page).toHaveURL(pathRegExp(addon.page, "/issues/[A-Za-z0-9_-]+$"));
    const issueUrl = page.url();
    await expect(page.getByTestId("runs-seen")).toHaveText("seen in 3 runs");
    const sightings = page.getByTestId("sighting-row");
    await expect(sightings).toHaveCount(3);
    for (const runId of runs) await expect(page.locator(`[data-testid="sighting-row"] a[href*="/runs/${runId}"]`)).toHaveCount(1);
    await scanAll("issue-detail");

    // Snooze for an hour: it reads snoozed, leaves the open tab, and is in the snoozed tab.
    await page.getByRole("button", { name: "1 hour" }).click();
    await expect(page.getByTestId("state-result")).toHaveText("Snoozed for 1 hour.");
    await expect(page.getByTestId("issue-detail-state").getByTestId("issue-state")).toHaveAttribute("data-state", "snoozed");
    await expect(page.getByTestId("issue-detail-state")).toContainText(`set by ${addon.admin.email}`);
    await shot("issue-snoozed-desktop");
    await page.goto(`${addon.page}/issues?target=default`);
    await expect(page.locator('[data-testid="issue-group-row"]', { hasText: `${table}_b` })).toHaveCount(0);
    await page.getByRole("link", { name: "Snoozed", exact: true }).click();
    await expect(page.locator('[data-testid="issue-group-row"]', { hasText: `${table}_b` })).toHaveCount(1);
    await shot("issues-snoozed-tab-desktop");

    // Ignore it with a reason; the issue reads ignored, and the next run's report lists it as
    // ignored by the admin with the reason, not as open, and the score does not count it.
    await page.goto(issueUrl);
    const reason = "kept on purpose: the e2e table's twin index";
    await page.getByLabel(/Ignore, with a reason/).fill(reason);
    await page.getByRole("button", { name: "Ignore", exact: true }).click();
    await expect(page.getByTestId("issue-detail-state").getByTestId("issue-state")).toHaveAttribute("data-state", "ignored");
    await expect(page.getByText(`Ignored: ${reason}`)).toBeVisible();
    await viewAt(page, SCAN_VIEWPORTS[2]);
    await shot("issue-ignored-phone");
    await viewAt(page, SCAN_VIEWPORTS[0]);

    const fourth = await completedRun(page.request, addon);
    await page.goto(`${addon.page}/runs/${fourth}`);
    const ignored = page.getByTestId("ignored-issues");
    await expect(ignored).toContainText("not counted in the health score");
    await expect(ignored.getByRole("listitem").filter({ hasText: `${table}_b` })).toContainText(`ignored by ${addon.admin.email}: ${reason}`);
    const finding = page.locator('[data-testid="issue-row"]', { hasText: `${table}_b` });
    await expect(finding.getByTestId("issue-group-state")).toHaveText("issue: ignored");
    await expect(page.getByTestId("run-outcome")).toContainText("ignored");
    // Its advice is not the run's to give; the other finding's still is.
    await expect(page.getByTestId("advice-issues").filter({ hasText: `${table}_b` })).toHaveCount(0);
    await expect(page.getByTestId("advice-issues").filter({ hasText: `${table} has no primary key` })).toHaveCount(1);
    await expect(finding).toContainText("ignored");
    await finding.locator("summary").click();
    await expect(finding.getByTestId("issue-ignored")).toContainText(reason);
    await scanAll("run-report-ignored");
    await finding.getByTestId("issue-group-link").click();
    await expect(page).toHaveURL(issueUrl);
    await expect(page.getByTestId("runs-seen")).toHaveText("seen in 4 runs");
    // The Markdown export says it too.
    const markdown = await (await page.request.get(`${runsPath(addon)}/${fourth}/export?format=md`)).text();
    expect(markdown).toContain("### Ignored (not counted in the health score)");
    expect(markdown).toContain(`ignored by ${addon.admin.email}`);
  } finally {
    await sql(owner, `DROP TABLE IF EXISTS public.${table}`);
  }
});

test("the state API answers 422 naming the field", async ({ page, addon }) => {
  await login(page, addon.admin);
  const issues = (await (await page.request.get(`${addon.api}/issues?state=open`)).json()) as { items: { id: string }[] };
  const post = (id: string, data: unknown) => page.request.post(`${addon.api}/issues/${id}/state`, { data });
  const id = issues.items[0]?.id ?? "no-such-issue";
  const snooze = await post(id, { state: "snoozed" });
  expect(snooze.status()).toBe(422);
  expect(((await snooze.json()) as { error: { fields: Record<string, string[]> } }).error.fields).toHaveProperty("until");
  const ignore = await post(id, { state: "ignored" });
  expect(((await ignore.json()) as { error: { fields: Record<string, string[]> } }).error.fields).toHaveProperty("reason");
  expect((await post("no-such-issue", { state: "open" })).status()).toBe(404);
  expect((await page.request.get(`${addon.api}/issues?state=nope`)).status()).toBe(422);
});
