// The run page's report parts, rendered: an approved fix reads approved (no buttons), focus moves
// to the next undecided action and the outcome is announced; the finished report says what it
// left open in words and tone, orders advice by severity (identical advice once), offers commands
// for copying, breaks checks and issues down by domain and names issues instead of printing ids;
// axe finds nothing serious at the four viewports.
import { SEVERITIES } from "../lib/troubleshooting/report";
import { SCAN_VIEWPORTS, seriousA11yFindings, setScanViewport as viewAt } from "./support/axe";
import { login } from "./support/login";
import { type LongQuery, startLongQuery } from "./support/long-query";
import { addonDatabaseUrl, platformDatabaseUrl } from "./support/mount";
import { startOrJoinRun, untilSettled } from "./support/runs";
import { expect, test } from "./support/test";

test("decisions, outcome words, advice order, copy, domain breakdown and axe on the run page", async ({ page, addon, context }, testInfo) => {
  test.setTimeout(240_000);
  await context.grantPermissions(["clipboard-read", "clipboard-write"]);
  const shot = (name: string) => page.screenshot({ path: testInfo.outputPath(`${name}.png`), fullPage: true });
  const scanAll = async (name: string) => {
    await page.mouse.move(0, 0); // no hover left from the last click (it may land on any element at another width)
    for (const viewport of SCAN_VIEWPORTS) {
      await viewAt(page, viewport);
      expect(await seriousA11yFindings(page, testInfo, `${name}-${viewport.name}`), `${name} at ${viewport.name}`).toEqual([]);
    }
    await viewAt(page, SCAN_VIEWPORTS[0]);
  };
  await login(page, addon.admin);
  // Two app-role queries (two cancels await a decision) and a superuser's (advice with a statement to copy).
  const queries: LongQuery[] = [];
  try {
    queries.push(await startLongQuery(platformDatabaseUrl(addon), "e2e-report-first", 180));
    queries.push(await startLongQuery(platformDatabaseUrl(addon), "e2e-report-second", 180));
    queries.push(await startLongQuery(addonDatabaseUrl(addon), "e2e-report-dba", 180));
    const runId = await startOrJoinRun(page.request, addon, { initialIssue: "Orders time out" });
    expect(await untilSettled(page.request, addon, runId, 120_000)).toBe("awaiting_approval");
    await viewAt(page, SCAN_VIEWPORTS[0]);
    await page.goto(`${addon.page}/runs/${runId}`);

    const cancels = page.locator('[data-testid="action-row"][data-code="db.cancel_query"]');
    await expect(cancels).toHaveCount(2);
    // Pinned by id: once decided, a row leaves the decisions at the top for the list below.
    const cancelIds = await cancels.evaluateAll((rows) => rows.map((row) => row.getAttribute("data-action-id")));
    const [first, second] = cancelIds.map((id) => page.locator(`[data-testid="action-row"][data-action-id="${id}"]`));
    if (!first || !second) throw new Error("two cancel actions expected");
    await expect(first.getByRole("button", { name: "Approve" })).toBeVisible();
    await first.getByRole("button", { name: "Approve" }).click();
    // Approved, not undecided: its own words, no buttons; the other still waits with its buttons.
    await expect(first).toHaveAttribute("data-status", "approved");
    await expect(first.getByTestId("action-status")).toHaveText("approved, not yet applied");
    await expect(first.getByRole("button")).toHaveCount(0);
    await expect(first).toContainText(`Approved by ${addon.admin.email}`);
    await expect(second.getByRole("button", { name: "Approve" })).toBeVisible();
    const left = await page.locator('[data-testid="action-row"][data-status="pending_approval"]').count();
    await expect(page.getByTestId("decisions").getByTestId("decision-announcement")).toHaveText(`Approved: Cancel the long-running query. ${left} decision${left === 1 ? "" : "s"} left.`);
    await expect(page.getByTestId("decisions").getByTestId("decision-announcement")).toHaveAttribute("aria-live", "polite");
    await expect(second.locator("[data-focus-target]")).toBeFocused();
    // No downloads before the report exists.
    await expect(page.getByRole("link", { name: "Download JSON" })).toHaveCount(0);
    await expect(page.getByTestId("downloads-pending")).toBeVisible();
    await shot("approved-one-desktop");
    await viewAt(page, SCAN_VIEWPORTS[2]);
    await shot("approved-one-phone");
    await viewAt(page, SCAN_VIEWPORTS[0]);
    await scanAll("run-awaiting");

    // Approve the rest; the run applies them and ends.
    const approve = page.getByRole("button", { name: "Approve" });
    while ((await approve.count()) > 0) {
      const remaining = await approve.count();
      await approve.first().click();
      await expect(approve).toHaveCount(remaining - 1);
    }
    await expect(page.getByTestId("run-status")).toContainText("completed", { timeout: 90_000 });
    await expect(page.getByTestId("run-outcome")).toBeVisible();
    await expect(page.getByRole("link", { name: "Download JSON" })).toBeVisible();

    // The outcome in words: green only when nothing is left open.
    const open = await page.locator('[data-testid="issue-row"]:not([data-status="resolved"])').count();
    const outcome = page.getByTestId("run-outcome");
    if (open === 0) await expect(outcome).toHaveAttribute("data-tone", "good");
    else {
      await expect(outcome).toHaveText(`completed · ${open} issue${open === 1 ? "" : "s"} open`);
      await expect(outcome).toHaveAttribute("data-tone", "warning");
    }
    await expect(cancels.nth(0)).toHaveAttribute("data-status", "applied");
    await expect(cancels.nth(0).getByTestId("action-status")).toHaveText("applied");

    // Advice: most severe first, identical advice once.
    const advice = page.getByTestId("advice");
    expect(await advice.count()).toBeGreaterThan(0);
    const severities = await advice.evaluateAll((items) => items.map((item) => (item as HTMLElement).dataset.severity ?? ""));
    const order = severities.map((s) => SEVERITIES.indexOf(s as (typeof SEVERITIES)[number]));
    expect(order).toEqual([...order].sort((a, b) => a - b));
    const texts = await advice.locator("p.tr\\:whitespace-pre-wrap").allTextContents();
    expect(new Set(texts).size).toBe(texts.length);

    // The superuser's query: a statement to copy, and the copy button puts exactly it on the clipboard.
    const command = page.getByTestId("command").filter({ hasText: "pg_cancel_backend" }).first();
    const statement = (await command.locator("code").textContent()) ?? "";
    expect(statement).toMatch(/^SELECT pg_cancel_backend\(pid\) FROM pg_stat_activity WHERE pid = \d+ AND query_start = '.+'::timestamptz;$/);
    await command.getByRole("button", { name: /^Copy command/ }).click();
    await expect(command.getByRole("status")).toHaveText("Copied");
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(statement);

    // Per domain: checks run and issues by severity.
    await expect(page.getByTestId("breakdown-database")).toContainText(/\d+ checks run: \d+ passed, [1-9]\d* found issues/);
    await expect(page.getByTestId("breakdown-database")).toContainText(/open/);

    // The summary names issues (links to their rows), never their ids.
    const ids = await page.getByTestId("issue-row").evaluateAll((rows) => rows.map((row) => row.id.replace(/^issue-/, "")));
    const summary = (await page.getByTestId("summary").textContent()) ?? "";
    expect(summary.length).toBeGreaterThan(0);
    for (const id of ids) expect(summary).not.toContain(id);
    const cited = page.getByTestId("summary").getByRole("link");
    if ((await cited.count()) > 0) expect(ids.map((id) => `#issue-${id}`)).toContain(await cited.first().getAttribute("href"));

    for (const viewport of SCAN_VIEWPORTS) {
      await viewAt(page, viewport);
      await shot(`finished-${viewport.name}`);
    }
    await scanAll("run-finished");
  } finally {
    for (const query of queries) {
      await query.cancel().catch(() => {});
      await query.end();
    }
  }
});
