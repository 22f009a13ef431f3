import { readFile } from "node:fs/promises";
import { runReportSchema } from "../lib/troubleshooting/report";
import { login } from "./support/login";
import { startLongQuery } from "./support/long-query";
import { pathRegExp, platformDatabaseUrl } from "./support/mount";
import { runsPath } from "./support/runs";
import { expect, test } from "./support/test";

test("an admin runs troubleshooting from the overview, watches it live, approves a fix, and reads the report and history", async ({ page, addon }, testInfo) => {
  test.setTimeout(120_000); // mounted, the web bot crawls the whole twin in Chromium
  const shot = (name: string) => page.screenshot({ path: testInfo.outputPath(`${name}.png`), fullPage: true });
  await login(page, addon.admin);
  // A long query in the platform's database: the database bot finds it, its cancel needs approval.
  const victim = await startLongQuery(platformDatabaseUrl(addon), "e2e-dashboard-victim");
  try {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(addon.page);
    await shot("overview-phone");
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.reload();
    await shot("overview");
    await page.getByLabel("What are users seeing? (optional)").fill("Checkout pages hang since this morning");
    await page.getByRole("button", { name: "Run troubleshooting" }).click();
    await page.waitForURL(pathRegExp(addon.page, "/runs/[a-z0-9]+$"));
    const runId = page.url().split("/").at(-1) as string;

    // Phases advance live, and the bots report progress.
    await expect(page.getByTestId("phase-diagnostics")).toHaveAttribute("data-state", "completed", { timeout: 30_000 });
    await expect(page.getByTestId("run-status")).toContainText("awaiting approval", { timeout: 30_000 });
    await expect(page.getByTestId("bot-database")).toContainText(/(\d+) of \1 checks · [1-9]\d* issues?/);
    const issues = await page.getByTestId("issue-row").count();
    expect(issues).toBeGreaterThan(0);

    // A reload in the middle of the run renders the same state on the server.
    await page.reload();
    await expect(page.getByTestId("run-status")).toContainText("awaiting approval");
    await expect(page.getByTestId("issue-row")).toHaveCount(issues);
    await expect(page.getByTestId("phase-resolution")).toHaveAttribute("data-state", "waiting");
    const longQuery = page.locator('[data-testid="issue-row"][data-code="db.long_running_query"]');
    await longQuery.locator("summary").click();
    await expect(longQuery).toContainText("e2e-dashboard-victim");
    await shot("live-run-awaiting-approval");

    const cancel = page.locator('[data-testid="action-row"][data-code="db.cancel_query"]');
    await cancel.getByPlaceholder("Comment (optional)").fill("cancel it, the import is done");
    await cancel.getByRole("button", { name: "Approve" }).click();
    await expect(page.getByTestId("run-status")).toContainText("completed", { timeout: 60_000 });
    await expect(longQuery).toHaveAttribute("data-status", "resolved");
    await expect(cancel).toHaveAttribute("data-status", "applied");
    await expect(cancel).toContainText(`Approved by ${addon.admin.email}`);
    await expect(page.getByTestId("phase-final_report")).toHaveAttribute("data-state", "completed");
    await expect(page.getByTestId("summary")).not.toBeEmpty();
    expect(await victim.outcome).toMatch(/canceling statement due to user request/);
    await shot("live-run-completed");

    const [json] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "Download JSON" }).click()]);
    const report = runReportSchema.parse(JSON.parse(await readFile(await json.path(), "utf8")));
    expect(report).toMatchObject({ runId, status: "completed", trigger: "manual", initialIssue: "Checkout pages hang since this morning" });
    const [markdown] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "Download Markdown" }).click()]);
    const md = await readFile(await markdown.path(), "utf8");
    expect(md).toContain(`# Troubleshooting run ${runId}`);
    expect(md).toMatch(/\| `db\.cancel_query` \| needs_approval \| applied \| yes \|/);

    // The history charts include the run: its issues today, its codes, its score, its phases.
    await page.goto(`${addon.page}/history?range=24h`);
    const today = new Date().toISOString().slice(0, 10);
    await expect(page.getByTestId("chart-issues-data")).toContainText(today);
    // Recurring findings need two runs of the same one (e2e/history.spec.ts); this query is new.
    await expect(page.getByTestId("top-codes")).toBeVisible();
    await expect(page.getByTestId("chart-score-data").locator("tr")).not.toHaveCount(0);
    await expect(page.getByTestId("chart-resolution-data")).toContainText(today);
    await expect(page.getByTestId("chart-phases-data")).toContainText("Diagnostics");
    // One point per run in the range.
    await expect(page.getByTestId("chart-score").locator(".recharts-scatter-symbol")).toHaveCount(await page.getByTestId("chart-score-data").locator("tbody tr").count());
    await page.locator('select[name="severity"]').selectOption("medium");
    await page.getByRole("button", { name: "Filter" }).click();
    await expect(page).toHaveURL(/severity=medium/);
    await expect(page.getByTestId("run-row").first()).toBeVisible();
    await shot("history");
  } finally {
    await victim.end();
  }
});

test("a viewer can neither start a run nor approve, even calling the API directly", async ({ page, addon }) => {
  await login(page, addon.viewer);
  expect((await page.request.post(runsPath(addon), { data: {} })).status()).toBe(403);
  const decision = await page.request.post(`${runsPath(addon)}/cmwuaaaaaaaaaaaaaaaaaaaaa/decisions`, { data: { actionId: "x", decision: "approve" } });
  expect(decision.status()).toBe(403);
  const overview = await page.goto(addon.page);
  expect(overview?.status()).toBe(403);
  await expect(page.getByRole("button", { name: "Run troubleshooting" })).toHaveCount(0);
});
