// Issue 19: an axe-core scan of every dashboard page (overview, runs, a run waiting for
// decisions, a finished run, history, monitoring, not-found) at a laptop's and a phone's width,
// light and dark: no serious or critical finding. Screenshots of each are saved.
import { SCAN_VIEWPORTS, seriousA11yFindings, setScanViewport } from "./support/axe";
import { login } from "./support/login";
import { runsPath } from "./support/runs";
import { expect, test } from "./support/test";
import { approveAll, startWaitingRun } from "./support/waiting-run";

type PageName = "overview" | "runs" | "run-waiting" | "run-finished" | "history" | "monitoring" | "not-found" | "runs-empty";

test("with no runs at all, the runs page says so and links to starting one (scanned too)", async ({ page, addon }, testInfo) => {
  await login(page, addon.admin);
  // A fresh database (global setup makes one per invocation; this spec runs first): no runs yet.
  const total = ((await (await page.request.get(runsPath(addon))).json()) as { total: number }).total;
  test.skip(total > 0, "runs exist already: another spec ran first against this database");
  await page.goto(`${addon.page}/runs`);
  await expect(page.getByTestId("runs-empty")).toHaveText(/^No runs yet\.\s*Start a run$/);
  await expect(page.getByTestId("runs-empty")).not.toContainText("match these filters");
  const findings = await seriousA11yFindings(page, testInfo, "runs-empty");
  expect(findings).toEqual([]);
  await page.screenshot({ path: testInfo.outputPath("runs-empty.png"), fullPage: true });
  await page.getByRole("link", { name: "Start a run" }).click();
  await expect(page.getByRole("form", { name: "Run troubleshooting" })).toBeInViewport();
});

test("every dashboard page has no serious or critical axe finding, on a laptop and a phone, light and dark", async ({ page, addon }, testInfo) => {
  test.setTimeout(300_000);
  await login(page, addon.admin);
  const { runId: waiting, victim } = await startWaitingRun(page.request, addon, "e2e-axe-victim");
  const all: { page: PageName; viewport: string; rule: string; targets: string[] }[] = [];
  async function scan(name: PageName, path: string) {
    for (const viewport of SCAN_VIEWPORTS) {
      await setScanViewport(page, viewport);
      await page.goto(path);
      await page.waitForLoadState("networkidle").catch(() => {});
      for (const f of await seriousA11yFindings(page, testInfo, `${name}-${viewport.name}`)) all.push({ page: name, viewport: viewport.name, rule: f.rule, targets: f.targets });
      await page.screenshot({ path: testInfo.outputPath(`${name}-${viewport.name}.png`), fullPage: true });
    }
  }
  try {
    await scan("run-waiting", `${addon.page}/runs/${waiting}`);
    await scan("overview", addon.page);
    await scan("runs", `${addon.page}/runs`);
    await approveAll(page.request, addon, waiting);
    await scan("run-finished", `${addon.page}/runs/${waiting}`);
    await scan("history", `${addon.page}/history?range=24h`);
    await scan("monitoring", `${addon.page}/monitoring`);
    await scan("not-found", `${addon.page}/runs/cmwuaaaaaaaaaaaaaaaaaaaaa`);
  } finally {
    await victim.end();
  }
  await testInfo.attach("axe-findings.json", { body: JSON.stringify(all, null, 2), contentType: "application/json" });
  expect(all).toEqual([]);
});
