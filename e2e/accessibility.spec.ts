// Issue 19: an axe-core scan of every dashboard page (overview, runs, a run waiting for
// decisions, a finished run, history, monitoring, not-found) at a laptop's and a phone's width,
// light and dark: no serious or critical finding. Screenshots of each are saved.
// useViewport is no React hook: renamed so that the hooks lint rule does not take it for one.
import { SCAN_VIEWPORTS, seriousA11yFindings, useViewport as setScanViewport } from "./support/axe";
import { login } from "./support/login";
import { runsPath } from "./support/runs";
import { expect, test } from "./support/test";
import { approveAll, startWaitingRun } from "./support/waiting-run";

type PageName = "overview" | "runs" | "run-waiting" | "run-finished" | "history" | "monitoring" | "not-found" | "runs-empty";

/**
 * TODO(lead, issue 19): findings in files other engineers own, tolerated here until their branches
 * are merged. Each entry names the rule, the page, the offending element (a substring of axe's
 * selector), where it shows (mode; all when absent) and the owner's file. Empty this list after the
 * merge: the spec then requires 0 serious/critical findings everywhere.
 */
const KNOWN_ELSEWHERE: { rule: string; page: PageName; selector: string; mode?: "standalone" | "mounted"; file: string }[] = [
  // The add-on status panel's labels (Version, Uptime, Database, DB latency): `tr:text-slate-500` on
  // the dark card is 3.7:1 (engineer B: `tr-muted`, which is slate-400 in dark).
  { rule: "color-contrast", page: "overview", selector: ".tr\\:text-slate-500", file: "lib/ui/components/health-summary.tsx" },
  // Monitoring's sections scroll sideways on a phone but cannot be focused (engineer B: wrap each
  // table in ScrollRegion, lib/ui/components/scroll-region.tsx, instead of overflow on <section>).
  { rule: "scrollable-region-focusable", page: "monitoring", selector: "section[aria-label=", file: "lib/ui/components/monitoring/monitoring-sections.tsx" },
  // In the platform twin at 390 px the host's sidebar leaves the add-on ~120 px: rows that do not
  // wrap overflow the add-on's dark root onto the host's light page (engineer A: `tr:flex-wrap` on
  // the downloads row and on the action row's status line; the twin's admin layout should stack
  // its sidebar on phones, fixtures/platform/app/admin/layout.tsx + its CSS).
  { rule: "color-contrast", page: "run-waiting", selector: '.tr-btn[download=""]', mode: "mounted", file: "lib/ui/components/run/run-summary.tsx" },
  { rule: "color-contrast", page: "run-finished", selector: '.tr-btn[download=""]', mode: "mounted", file: "lib/ui/components/run/run-summary.tsx" },
  { rule: "color-contrast", page: "run-finished", selector: ".tr\\:text-xs:nth-child(3)", mode: "mounted", file: "lib/ui/components/run/actions-list.tsx" },
];

/** The finding's elements that no KNOWN_ELSEWHERE entry covers. */
const unexplained = (f: { rule: string; page: PageName; targets: string[] }, mode: string) =>
  f.targets.filter((t) => !KNOWN_ELSEWHERE.some((k) => k.rule === f.rule && k.page === f.page && (!k.mode || k.mode === mode) && t.includes(k.selector)));

test("with no runs at all, the runs page says so and links to starting one (scanned too)", async ({ page, addon }, testInfo) => {
  await login(page, addon.admin);
  // A fresh database (global setup makes one per invocation; this spec runs first): no runs yet.
  const total = ((await (await page.request.get(runsPath(addon))).json()) as { total: number }).total;
  test.skip(total > 0, "runs exist already: another spec ran first against this database");
  await page.goto(`${addon.page}/runs`);
  await expect(page.getByTestId("runs-empty")).toHaveText(/^No runs yet\.\s*Start a run$/);
  await expect(page.getByTestId("runs-empty")).not.toContainText("match these filters");
  const findings = await seriousA11yFindings(page, testInfo, "runs-empty");
  expect(findings.filter((f) => unexplained({ ...f, page: "runs-empty" }, addon.mode).length > 0)).toEqual([]);
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
  console.log(JSON.stringify(all, null, 1));
  expect(all.map((f) => ({ ...f, targets: unexplained(f, addon.mode) })).filter((f) => f.targets.length > 0)).toEqual([]);
});
