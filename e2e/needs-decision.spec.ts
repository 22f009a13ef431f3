// Issue 19 items 3, 7 and 8 on rendered pages: what needs the admin comes first, with a count,
// wherever the run appears (run page, overview, runs table, nav), is announced when a run starts
// waiting, and the run's target and domains are said; cancel asks first and names who cancelled.
import { login } from "./support/login";
import { pathRegExp } from "./support/mount";
import { endRun, runStatus } from "./support/runs";
import { expect, test } from "./support/test";
import { startWaitingRun } from "./support/waiting-run";

test("a run waiting for the admin is announced, said first with a count on the run page, the overview, the runs table and the nav", async ({ page, addon }, testInfo) => {
  test.setTimeout(120_000);
  const shot = (name: string) => page.screenshot({ path: testInfo.outputPath(`${name}.png`), fullPage: true });
  await login(page, addon.admin);
  // The page is open while the run works: the live region announces the wait when it begins.
  const { runId, victim } = await startWaitingRun(page.request, addon, "e2e-needs-decision", { settle: false });
  try {
    await page.goto(`${addon.page}/runs/${runId}`);
    const announcement = page.getByTestId("decisions-announcement");
    await expect(announcement).toHaveAttribute("role", "status");
    await expect(announcement).toHaveText(/^The run is waiting for you: \d+ fix(es need| needs) your decision\.$/, { timeout: 60_000 });
    const count = Number((await announcement.textContent())?.match(/(\d+) fix/)?.[1]);
    expect(count).toBeGreaterThan(0);
    const decisions = page.getByTestId("decisions");
    await expect(decisions.getByRole("heading", { level: 2 }).first()).toHaveText(`${count} ${count === 1 ? "fix needs" : "fixes need"} your decision`);
    await expect(decisions.getByTestId("action-row")).toHaveCount(count);
    await expect(decisions.getByRole("button", { name: "Approve" })).toHaveCount(count);

    // First on the page: before the phases and the issues, the first Approve within the first screen.
    for (const viewport of [
      { width: 1280, height: 800, name: "desktop" },
      { width: 390, height: 844, name: "phone" },
    ]) {
      await page.setViewportSize(viewport);
      await page.goto(`${addon.page}/runs/${runId}`);
      const approve = page.getByTestId("decisions").getByRole("button", { name: "Approve" }).first();
      const top = (await approve.boundingBox())?.y ?? Infinity;
      // Within the first screen where the add-on has the page (a host's own header and sidebar
      // come first when mounted: there, the order is what the add-on decides).
      if (addon.mode === "standalone" || viewport.name === "desktop") expect(top, `first Approve on ${viewport.name}`).toBeLessThan(viewport.height);
      expect(top).toBeLessThan((await page.getByRole("list", { name: "Phases" }).boundingBox())?.y ?? 0);
      expect(top).toBeLessThan((await page.getByRole("region", { name: "Issues" }).boundingBox())?.y ?? 0);
      await shot(`run-waiting-${viewport.name}`);
    }

    // The overview says a person is needed, with the count and the way there.
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.goto(addon.page);
    const banner = page.getByTestId("needs-decision");
    await expect(banner).toContainText("A run is waiting for you.");
    await expect(banner.getByRole("link", { name: `${count} ${count === 1 ? "fix needs" : "fixes need"} your decision` })).toBeVisible();
    await expect(page.getByTestId("active-run")).toHaveCount(0);
    const nav = page.getByRole("navigation", { name: "Troubleshooting sections" });
    await expect(nav.getByTestId("nav-pending")).toHaveText(`${count} ${count === 1 ? "fix needs" : "fixes need"} your decision`);
    await expect(nav.getByRole("link", { name: /^Runs/ })).toHaveAccessibleName(`Runs ${count} ${count === 1 ? "fix needs" : "fixes need"} your decision`);
    // The recent runs table: the run's count and link, its target and its domains.
    const row = page.locator(`[data-testid="run-row"][data-run-id="${runId}"]`);
    await expect(row.getByTestId("pending-decisions-link")).toHaveText(`${count} ${count === 1 ? "fix needs" : "fixes need"} your decision`);
    await expect(row.getByTestId("run-domains")).toHaveText("database");
    await expect(row.getByTestId("run-target")).not.toContainText(addon.databasePassword);
    await expect(row.getByTestId("run-target")).toContainText(/:\d+\/\w+/); // the database's host:port/name
    await shot("overview-waiting");

    // The runs page too, and its link goes straight to the decisions.
    await page.goto(`${addon.page}/runs`);
    await page.locator(`[data-testid="run-row"][data-run-id="${runId}"]`).getByTestId("pending-decisions-link").click();
    await expect(page).toHaveURL(pathRegExp(addon.page, `/runs/${runId}#decisions$`));
    await expect(page.getByTestId("decisions")).toBeInViewport();

    // Cancel asks first; "Keep it running" keeps it; confirmed, the page names who cancelled.
    await page.getByRole("button", { name: "Cancel run" }).click();
    const confirm = page.getByTestId("cancel-confirm");
    await expect(confirm).toContainText("Cancel this run?");
    await expect(confirm.getByRole("button", { name: "Yes, cancel the run" })).toBeFocused();
    await confirm.getByRole("button", { name: "Keep it running" }).click();
    await expect(confirm).toHaveCount(0);
    expect(await runStatus(page.request, addon, runId)).toBe("awaiting_approval");
    await page.getByRole("button", { name: "Cancel run" }).click();
    await page.getByRole("button", { name: "Yes, cancel the run" }).click();
    await expect(page.getByTestId("run-status")).toContainText("cancelled", { timeout: 30_000 });
    await expect(page.getByTestId("cancelled-by")).toHaveText(`Cancelled by ${addon.admin.email}`);
    await expect(page.getByTestId("decisions")).toHaveCount(0);
    await expect(page.getByTestId("decisions-announcement")).toHaveText("No fix is waiting for your decision any more.");
    await page.reload();
    await expect(page.getByTestId("cancelled-by")).toHaveText(`Cancelled by ${addon.admin.email}`);
    await shot("run-cancelled");
    // Nothing waits any more: no badge, no banner.
    await page.goto(addon.page);
    await expect(page.getByTestId("nav-pending")).toHaveCount(0);
    await expect(page.getByTestId("needs-decision")).toHaveCount(0);
  } finally {
    await endRun(page.request, addon, runId).catch(() => {});
    await victim.end();
  }
});

test("the start form says what a run will check: the site, the database without credentials, the domains", async ({ page, addon }, testInfo) => {
  await login(page, addon.admin);
  await page.goto(addon.page);
  const form = page.getByRole("form", { name: "Run troubleshooting" });
  const target = form.getByTestId("run-target");
  await expect(target).toContainText(/Site\s*https?:\/\//);
  await expect(target).toContainText(/Database\s*[\w.-]+:\d+\/\w+/);
  const html = await page.content();
  expect(html).not.toContain(addon.databasePassword);
  for (const domain of ["web", "database", "network"]) await expect(form.getByRole("checkbox", { name: new RegExp(`^${domain}\\b`) })).toBeChecked();
  await expect(form.getByRole("group", { name: "Domains to check" })).toContainText("connections, queries");
  await page.screenshot({ path: testInfo.outputPath("start-form.png"), fullPage: true });
});

test("filters that match nothing say so; an unknown run renders a not-found view with the navigation", async ({ page, addon }, testInfo) => {
  await login(page, addon.admin);
  await page.goto(`${addon.page}/runs?status=interrupted&severity=info&trigger=cron`);
  await expect(page.getByTestId("runs-empty")).toHaveText("No runs match these filters.");
  const unknown = `${addon.page}/runs/cmwuaaaaaaaaaaaaaaaaaaaaa`;
  await page.goto(unknown);
  await expect(page.getByRole("heading", { name: "No such run" })).toBeVisible();
  await expect(page.getByRole("navigation", { name: "Troubleshooting sections" })).toBeVisible();
  await page.getByTestId("not-found").getByRole("link", { name: "All runs" }).click();
  await expect(page).toHaveURL(pathRegExp(addon.page, "/runs$"));
  await page.goto(`${addon.page}/no/such/page`);
  await expect(page.getByRole("heading", { name: "No such page" })).toBeVisible();
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto(unknown);
  await page.screenshot({ path: testInfo.outputPath("not-found-phone.png"), fullPage: true });
});
