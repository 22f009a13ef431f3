// Issue 19: the whole admin flow with the keyboard alone (no mouse click anywhere): from the
// overview, start a run → reach the fix that waits for a decision → approve it → read the report.
import { readFile } from "node:fs/promises";
import type { Locator, Page } from "@playwright/test";
import { startLongQuery } from "./support/long-query";
import { login } from "./support/login";
import { pathRegExp, platformDatabaseUrl } from "./support/mount";
import { endRun } from "./support/runs";
import { expect, test } from "./support/test";

/** Presses Tab until `target` has the focus, as a keyboard user would; fails after `max` presses. */
async function tabTo(page: Page, target: Locator, max = 80): Promise<number> {
  for (let presses = 1; presses <= max; presses++) {
    await page.keyboard.press("Tab");
    if (await target.evaluate((el) => el === document.activeElement)) return presses;
  }
  throw new Error(`${target} not reached in ${max} Tab presses`);
}

test("keyboard only: start a run from the overview, reach the waiting fix, approve it, read the report", async ({ page, addon }, testInfo) => {
  test.setTimeout(150_000);
  const shot = (name: string) => page.screenshot({ path: testInfo.outputPath(`${name}.png`), fullPage: true });
  await login(page, addon.admin);
  const victim = await startLongQuery(platformDatabaseUrl(addon), "e2e-keyboard-victim");
  let runId: string | null = null;
  try {
    await page.goto(addon.page);
    // The skip link comes first (in the add-on's part of the page) and lands past the navigation.
    const skip = page.getByRole("link", { name: "Skip to main content" });
    await tabTo(page, skip);
    await expect(skip).toBeVisible();
    await page.keyboard.press("Enter");
    await expect(page.locator("#troubleshooter-main")).toBeFocused();

    const form = page.getByRole("form", { name: "Run troubleshooting" });
    await tabTo(page, form.getByLabel("What are users seeing? (optional)"));
    await page.keyboard.type("Keyboard-only admin: checkout hangs");
    // Only the database: uncheck web and network with the space bar.
    for (const domain of ["web", "network"]) {
      const box = form.getByRole("checkbox", { name: new RegExp(`^${domain}\\b`) });
      await tabTo(page, box);
      await page.keyboard.press("Space");
      await expect(box).not.toBeChecked();
    }
    await tabTo(page, form.getByRole("button", { name: "Run troubleshooting" }));
    await shot("keyboard-start");
    await page.keyboard.press("Enter");
    await page.waitForURL(pathRegExp(addon.page, "/runs/[a-z0-9]+$"));
    runId = page.url().split("/").at(-1) as string;

    // The decision comes first once the run waits; Tab reaches its Approve before any issue.
    const decisions = page.getByTestId("decisions");
    await expect(decisions).toBeVisible({ timeout: 60_000 });
    // Pinned by id: once approved, the row leaves the decisions for the list below.
    const actionId = await decisions.locator('[data-testid="action-row"][data-code="db.cancel_query"]').first().getAttribute("data-action-id");
    const target = page.locator(`[data-testid="decisions"] [data-action-id="${actionId}"]`);
    await page.locator("#troubleshooter-main").focus();
    const approve = target.getByRole("button", { name: "Approve" });
    await tabTo(page, approve);
    // Nothing of the issues list was passed on the way: the decisions come before it.
    await expect(page.getByTestId("issue-row").locator("summary").first()).not.toBeFocused();
    await shot("keyboard-approve-focused");
    await page.keyboard.press("Enter");
    await expect(target).toHaveCount(0, { timeout: 30_000 });
    await expect(page.locator(`[data-action-id="${actionId}"]`)).not.toHaveAttribute("data-status", "pending_approval");
    // Any other waiting fix is rejected the same way, so that the run can finish.
    const rejects = decisions.getByRole("button", { name: "Reject" });
    for (let left = await rejects.count(); left > 0; left--) {
      await page.locator("#troubleshooter-main").focus();
      await tabTo(page, rejects.first());
      await page.keyboard.press("Enter");
      await expect(rejects).toHaveCount(left - 1, { timeout: 30_000 });
    }
    await expect(page.getByTestId("run-status")).toContainText("completed", { timeout: 60_000 });
    expect(await victim.outcome).toMatch(/canceling statement due to user request/);

    // The report: its summary on the page, and the Markdown download reached and opened by keyboard.
    await expect(page.getByTestId("summary")).not.toBeEmpty();
    await page.locator("#troubleshooter-main").focus();
    const markdown = page.getByRole("link", { name: "Download Markdown" });
    await tabTo(page, markdown, 200);
    const [download] = await Promise.all([page.waitForEvent("download"), page.keyboard.press("Enter")]);
    expect(await readFile(await download.path(), "utf8")).toContain(`# Troubleshooting run ${runId}`);
    await shot("keyboard-report");
  } finally {
    if (runId) await endRun(page.request, addon, runId).catch(() => {});
    await victim.end();
  }
});
