// Issue 19, items 2, 5 and 6 on rendered pages: the overview's headline compares a run only with
// the previous run on the same target and scope; the history plots each run as its own point, per
// target and scope; severities read critical → info in distinct colours; data tables have headers;
// the monitoring page says "ran OK" beside "found issues"; and both pages pass axe.
import type { APIRequestContext, Page, TestInfo } from "@playwright/test";
import { SCAN_VIEWPORTS, seriousA11yFindings, setScanViewport as setViewport } from "./support/axe";
import { login } from "./support/login";
import { startLongQuery } from "./support/long-query";
import { type Mount, platformDatabaseUrl } from "./support/mount";
import { runsPath, startOrJoinRun, untilSettled } from "./support/runs";
import { expect, test } from "./support/test";

/** Runs to completion: every fix waiting for approval is rejected, so the run verifies and scores. */
async function completedRun(request: APIRequestContext, addon: Mount, domains: string[]): Promise<string> {
  const runId = await startOrJoinRun(request, addon, { domains, autoApprove: "none" });
  for (;;) {
    const status = await untilSettled(request, addon, runId, 240_000);
    if (status !== "awaiting_approval") {
      expect(status).toBe("completed");
      return runId;
    }
    const report = (await (await request.get(`${runsPath(addon)}/${runId}`)).json()) as { actions: { id: string; status: string }[] };
    for (const action of report.actions.filter((a) => a.status === "pending_approval")) {
      await request.post(`${runsPath(addon)}/${runId}/decisions`, { data: { actionId: action.id, decision: "reject", comment: "e2e: score only" } });
    }
  }
}

/** A full run while a query hangs in the platform's database: the run finds it (its cancel is
 * rejected), so the full run scores below a web-only run's 100. */
async function fullRunWithAnIssue(request: APIRequestContext, addon: Mount, domains: string[], name: string): Promise<string> {
  const query = await startLongQuery(platformDatabaseUrl(addon), name, 300);
  try {
    return await completedRun(request, addon, domains);
  } finally {
    await query.end();
  }
}

const shoot = (page: Page, testInfo: TestInfo, name: string) => page.screenshot({ path: testInfo.outputPath(`${name}.png`), fullPage: true });

test.describe.configure({ mode: "serial" });

let runs: { full: string; webOnly: string; nextFull: string } | undefined;

test("the health headline compares a run only with the previous run on the same target and scope", async ({ page, addon }, testInfo) => {
  test.setTimeout(600_000); // three real runs; mounted, the web bot crawls the whole twin
  await login(page, addon.admin);
  const full = await fullRunWithAnIssue(page.request, addon, ["web", "database", "network"], "e2e-history-first");
  const webOnly = await completedRun(page.request, addon, ["web"]);

  // After a web-only run: its own score, said to be web-only, never "▼ N since the previous run".
  await page.goto(addon.page);
  const trend = page.getByTestId("health-trend");
  await expect(trend).toHaveText(/^(First web-only run on this target: nothing to compare with yet|.* since the previous web-only run on this target \(.*\))$/);
  await expect(page.getByTestId("health-source")).toContainText("the web-only run of");
  await expect(page.getByTestId("health-domain-database")).toContainText("not checked");
  await shoot(page, testInfo, "overview-after-web-only");

  // The next full run compares with the full run before it, not with the web-only run.
  const nextFull = await fullRunWithAnIssue(page.request, addon, ["network", "web", "database"], "e2e-history-next");
  runs = { full, webOnly, nextFull };
  await page.reload();
  await expect(trend).toHaveText(/^(No change|▲ up \d+|▼ down \d+) since the previous full run on this target \(\d+ on .+ UTC\)$/);
  await expect(trend.getByRole("link")).toHaveAttribute("href", new RegExp(`/runs/${full}$`));
  // A rise is good news: never red.
  const direction = await trend.getAttribute("data-direction");
  const classes = (await trend.getAttribute("class")) ?? "";
  if (direction === "up") expect(classes).toContain("green");
  else if (direction === "flat") expect(classes).not.toMatch(/red|green/);
  else expect(classes).toContain("red");
  await expect(page.getByTestId("health-source")).toContainText("the full run of");
  await shoot(page, testInfo, "overview-after-full");
  await page.emulateMedia({ colorScheme: "dark" });
  await shoot(page, testInfo, "overview-after-full-dark");

  // No score-drop alert compares the web-only run with a full run, either way.
  await page.goto(`${addon.page}/monitoring?range=24h`);
  for (const runId of [webOnly, nextFull]) {
    await expect(page.getByTestId("alerts").getByRole("row").filter({ has: page.locator(`a[href$="/runs/${runId}"]`) }).filter({ hasText: "dropped" })).toHaveCount(0);
  }
});

test("the history plots each run as a point per target and scope, severities in order, tables with headers", async ({ page, addon }, testInfo) => {
  test.skip(!runs, "needs the runs of the previous test");
  await login(page, addon.admin);
  await page.goto(`${addon.page}/history?range=24h`);

  // One row and one point per completed run: no averaging into buckets; the web-only run is a
  // series of its own.
  const score = page.getByTestId("chart-score");
  const scoreRows = page.getByTestId("chart-score-data").locator("tbody tr");
  const points = await scoreRows.count();
  expect(points).toBeGreaterThanOrEqual(3);
  await expect(score.locator(".recharts-scatter-symbol")).toHaveCount(points);
  await expect(page.getByTestId("score-legend")).toContainText("web-only runs");
  await expect(page.getByTestId("score-legend")).toContainText("full runs");
  await expect(page.getByTestId("chart-score-data").locator("thead th")).toHaveText(["Run started (UTC)", "Target", "Scope", "Score", "Web", "Database", "Network", "Build"]);

  // Severities critical → info, each its own colour, in the legend and the table.
  const severities = page.getByTestId("severity-legend").getByTestId("legend-entry");
  await expect(severities).toHaveText(["Critical", "High", "Medium", "Low", "Info"]);
  const swatches = await severities.locator("span").evaluateAll((spans) => spans.map((s) => getComputedStyle(s).backgroundColor));
  expect(new Set(swatches).size).toBe(5);
  await expect(page.getByTestId("chart-issues-data").locator("thead th")).toHaveText(["Day", "Critical", "High", "Medium", "Low", "Info"]);
  // One day is a bar of its own width, not a block across the chart.
  const bar = page.getByTestId("chart-issues").locator(".recharts-bar-rectangle path").first();
  const box = await bar.boundingBox();
  expect(box?.width ?? 0).toBeLessThanOrEqual(41);

  // Phases by name, working time apart from waiting for approval; every data table has column headers.
  await expect(page.getByTestId("chart-phases-data").locator("thead th")).toHaveText(["Phase", "Working, mean", "Waiting for approval, mean", "Total, mean", "Longest"]);
  await expect(page.getByTestId("chart-phases-data")).toContainText("System assessment");
  const ticks = await page.getByTestId("chart-phases").locator(".recharts-cartesian-axis-tick-value").allTextContents();
  expect(ticks.filter((t) => t.includes("_"))).toEqual([]);
  await expect(page.getByTestId("chart-resolution").or(page.getByTestId("chart-phases")).first()).toContainText("Waiting for approval");
  for (const table of await page.locator('[data-testid$="-data"]').all()) {
    await expect(table.locator('thead th[scope="col"]').first()).toBeAttached();
  }

  // "Keeps coming back" is two or more runs of the same finding.
  for (const row of await page.getByTestId("top-code-row").all()) {
    expect(Number(await row.locator("td").nth(2).textContent())).toBeGreaterThanOrEqual(2);
  }
  await shoot(page, testInfo, "history-desktop-light");
  for (const details of await page.locator("details").all()) await details.locator("summary").click();
  await shoot(page, testInfo, "history-desktop-light-data");
});

test("the monitoring page says a check ran OK beside how often it found issues, and shows error patterns readably", async ({ page, addon }, testInfo) => {
  test.skip(!runs, "needs the runs of the previous test");
  await login(page, addon.admin);
  await page.goto(`${addon.page}/monitoring?range=24h`);
  const checks = page.getByTestId("check-performance");
  await expect(checks.locator("thead th")).toHaveText(["Check", "Runs", "Ran OK", "Found issues", "Errors", "Median time", "95th percentile"]);
  await expect(checks).not.toContainText("success");
  await expect(checks).toContainText("Ran OK: the check ran without error (whatever it found)");
  // A check that found issues still ran OK: both are shown (a count of runs with its share).
  await expect(checks.getByRole("row").filter({ hasText: /[1-9]\d* \(\d+ %\)/ }).first()).toBeVisible();
  await expect(page.getByTestId("error-patterns")).not.toContainText(/N, N|#, #/);
  for (const pattern of await page.getByTestId("error-pattern").all()) {
    await expect(pattern.getByRole("list", { name: "Examples" }).getByRole("listitem").first()).toBeVisible();
  }
  await shoot(page, testInfo, "monitoring-desktop-light");
});

test("history and monitoring pass axe at desktop and phone width, light and dark", async ({ page, addon }, testInfo) => {
  test.setTimeout(180_000);
  await login(page, addon.admin);
  for (const path of ["history?range=24h", "monitoring?range=24h"]) {
    for (const viewport of SCAN_VIEWPORTS) {
      await setViewport(page, viewport);
      await page.goto(`${addon.page}/${path}`);
      await expect(page.locator("h1")).toBeVisible();
      const name = `${path.split("?")[0]}-${viewport.name}`;
      expect(await seriousA11yFindings(page, testInfo, name), name).toEqual([]);
      // Every chart and table card fits the screen (a wide table scrolls inside its card).
      for (const card of await page.locator('[data-testid^="chart-"]:not([data-testid$="-data"]), [data-testid="top-codes"], [data-testid="monitoring-status"], [data-testid="alerts"], [data-testid="error-patterns"], [data-testid="bot-performance"], [data-testid="check-performance"]').all()) {
        const box = await card.boundingBox();
        if (box) expect(box.x + box.width, `${name}: ${await card.getAttribute("data-testid")}`).toBeLessThanOrEqual(viewport.width);
      }
      await shoot(page, testInfo, name);
    }
  }
});
