// Issue 20, items 3 and 4 on rendered pages: a real run records the build id its target serves (the
// platform twin's real `next build` id when mounted; "build id not visible" on the standalone
// app's plain loopback target); a build id change between two runs of the target is a deploy
// marked on its history; the run after it says "since deploy" next to the rollback action; and
// /checks shows each endpoint and page with its sample counts. /history and /checks pass axe.
import { readFile } from "node:fs/promises";
import path from "node:path";
import type { APIRequestContext, Page, TestInfo } from "@playwright/test";
import pg from "pg";
import { SCAN_VIEWPORTS, seriousA11yFindings, setScanViewport } from "./support/axe";
import { login } from "./support/login";
import { type Mount, addonDatabaseUrl } from "./support/mount";
import { runsPath, startOrJoinRun, untilSettled } from "./support/runs";
import { expect, test } from "./support/test";

const shoot = (page: Page, testInfo: TestInfo, name: string) => page.screenshot({ path: testInfo.outputPath(`${name}.png`), fullPage: true });

async function sql<T extends pg.QueryResultRow>(addon: Mount, text: string, values: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: addonDatabaseUrl(addon) });
  await client.connect();
  try {
    return (await client.query<T>(text, values)).rows;
  } finally {
    await client.end();
  }
}

/** A run on the configured target to its end: every fix waiting for approval is rejected. */
async function completedRun(request: APIRequestContext, addon: Mount, domains: string[]): Promise<string> {
  const runId = await startOrJoinRun(request, addon, { domains, autoApprove: "none" });
  for (;;) {
    const status = await untilSettled(request, addon, runId, 420_000);
    if (status !== "awaiting_approval") return runId;
    const report = (await (await request.get(`${runsPath(addon)}/${runId}`)).json()) as { actions: { id: string; status: string }[] };
    for (const action of report.actions.filter((a) => a.status === "pending_approval")) {
      await request.post(`${runsPath(addon)}/${runId}/decisions`, { data: { actionId: action.id, decision: "reject", comment: "e2e: deploys" } });
    }
  }
}

const id = (prefix: string) => `${prefix}${Math.random().toString(36).slice(2)}${Date.now().toString(36)}`.slice(0, 28).padEnd(24, "0");
const BEFORE = "AAAA1111beforeDeploy";
const AFTER = "BBBB2222afterDeploy";
const COMMIT = { sha: "9f8e7d6c5b4a39281706f5e4d3c2b1a098765432", message: "Ship the new checkout <b>bold</b>" };

test.describe.configure({ mode: "serial" });

let real: { runId: string; targetKey: string; buildId: string | null } | undefined;
let afterRunId = "";

test("a run records the build id its target serves, and the history says when none is visible", async ({ page, addon }, testInfo) => {
  test.setTimeout(600_000); // a real web + network run; mounted, the web bot crawls the whole twin
  await login(page, addon.admin);
  const runId = await completedRun(page.request, addon, ["web", "network"]);
  const [row] = await sql<{ targetKey: string; buildId: string | null }>(addon, `SELECT "targetKey", "buildId" FROM troubleshooter."TroubleshootingRun" WHERE id = $1`, [runId]);
  expect(row).toBeTruthy();
  real = { runId, targetKey: row?.targetKey ?? "", buildId: row?.buildId ?? null };
  if (addon.mode === "mounted") {
    // The twin is a real `next build`: the id it serves is the one in its build folder.
    const built = (await readFile(path.resolve("fixtures/platform/.next/BUILD_ID"), "utf8")).trim();
    expect(real.buildId).toBe(built);
  } else {
    expect(real.buildId).toBeNull(); // a plain page names no build
  }
  await page.goto(`${addon.page}/history?target=default&range=24h`);
  await expect(page.locator("h1")).toHaveText("History: default");
  const table = page.getByTestId("chart-score-data");
  await page.getByTestId("chart-score").locator("summary", { hasText: "Data" }).click();
  const runRow = table.getByRole("row").filter({ hasText: real.buildId ? `build ${real.buildId.slice(0, 8)}` : "build id not visible" });
  await expect(runRow.first()).toBeVisible();
  await shoot(page, testInfo, "history-real-run");
});

test("a build id change between two runs is a deploy on the history, and its new issue says so next to the rollback", async ({ page, addon }, testInfo) => {
  test.setTimeout(180_000);
  expect(real, "the first test's run").toBeTruthy();
  const targetKey = real?.targetKey ?? "";
  await login(page, addon.admin);
  // Two earlier runs of the same target as their rows would be: build A without issues, then build B
  // (Vercel named its commit) whose assets 404; the rollback was planned for that issue.
  const target = JSON.stringify({ baseUrl: targetKey.split("|")[0], database: "platform", endpoints: [] });
  const beforeId = id("e2ebefore");
  afterRunId = id("e2eafter");
  const issueId = id("e2eissue");
  await sql(addon, `INSERT INTO troubleshooter."TroubleshootingRun" (id, status, trigger, target, "targetKey", "startedAt", "finishedAt", "durationMs", "healthScoreBefore", "healthScoreAfter", checks, summary, "buildId", "rolledUpAt")
    VALUES ($1, 'completed', 'api', $2, $3, now() - interval '3 hours', now() - interval '3 hours' + interval '1 minute', 60000, 100, 100, '[]', 'No issues.', $4, now())`, [beforeId, target, targetKey, BEFORE]);
  await sql(addon, `INSERT INTO troubleshooter."TroubleshootingRun" (id, status, trigger, target, "targetKey", "startedAt", "finishedAt", "durationMs", "healthScoreBefore", "healthScoreAfter", checks, summary, "buildId", "commitSha", "commitMessage", "deploymentId", "rolledUpAt", "previousBuildId", "afterDeploy")
    VALUES ($1, 'completed', 'api', $2, $3, now() - interval '2 hours', now() - interval '2 hours' + interval '1 minute', 60000, 60, 60, '[]', 'The new build lost its chunks.', $4, $5, $6, 'dpl_e2e', now(), $7, true)`, [afterRunId, target, targetKey, AFTER, COMMIT.sha, COMMIT.message, BEFORE]);
  // And what the rollup adds for them: two runs, both showing a build id.
  for (const hours of [3, 2]) {
    await sql(addon, `INSERT INTO troubleshooter."HistoryDaily" ("targetKey", day, kind, key, count, runs) VALUES ($1, ((now() - make_interval(hours => $2)) AT TIME ZONE 'UTC')::date, 'build_id', '', 1, 1)
      ON CONFLICT ("targetKey", day, kind, key) DO UPDATE SET count = "HistoryDaily".count + 1, runs = "HistoryDaily".runs + 1`, [targetKey, hours]);
  }
  await sql(addon, `INSERT INTO troubleshooter."Issue" (id, "runId", code, domain, severity, title, description, evidence, "detectedBy", rank)
    VALUES ($1, $2, 'web.failed_assets', 'web', 'critical', 'A script of the page answers 404', 'The page loads /_next/static/chunks/app-e2e.js, which answers 404.', $3, 'web-diagnostic', 1)`, [issueId, afterRunId, JSON.stringify({ subject: "/_next/static/chunks/app-e2e.js", status: 404 })]);
  await sql(addon, `INSERT INTO troubleshooter."FixAction" (id, "runId", "issueId", code, title, risk, status, "needsApproval", "decidedByEmail", "updatedAt")
    VALUES ($1, $2, $3, 'web.rollback_deployment', 'Roll back to the previous deployment', 'needs_approval', 'rejected', true, 'ops@example.com', now())`, [id("e2eaction"), afterRunId, issueId]);

  // The history of the target marks the deploy on the score chart, and lists it in its data table.
  await page.goto(`${addon.page}/history?target=default&range=24h`);
  const chart = page.getByTestId("chart-score");
  await expect(chart.locator("svg text", { hasText: `deploy ${COMMIT.sha.slice(0, 7)}` })).toBeVisible();
  await expect(page.getByTestId("deploys-note")).toContainText(/Deploys: \d+ marked, from the build ids \d+ of \d+ runs/);
  await chart.locator("summary", { hasText: "Data" }).click();
  await expect(page.getByTestId("chart-score-data").getByRole("row").filter({ hasText: `deploy BBBB2222 (commit 9f8e7d6: ${COMMIT.message})` })).toHaveCount(1);
  await shoot(page, testInfo, "history-deploy-desktop-light");
  // Switching the range keeps the target.
  await page.getByRole("navigation", { name: "Time range" }).getByRole("link", { name: "7d" }).click();
  await expect(page).toHaveURL(/[?&]target=default/);
  await expect(page).toHaveURL(/[?&]range=7d/);
  await setScanViewport(page, SCAN_VIEWPORTS[3]);
  await page.goto(`${addon.page}/history?target=default&range=24h`);
  await expect(chart.locator("svg text", { hasText: `deploy ${COMMIT.sha.slice(0, 7)}` })).toBeVisible();
  await shoot(page, testInfo, "history-deploy-phone-dark");
  await setScanViewport(page, SCAN_VIEWPORTS[0]);

  // The run after the deploy: its new issue says "since deploy" next to the rollback action.
  await page.goto(`${addon.page}/runs/${afterRunId}`);
  const rollback = page.locator('[data-testid="action-row"][data-code="web.rollback_deployment"]');
  await expect(rollback.getByTestId("since-deploy")).toHaveText(`Since deploy BBBB2222 (commit 9f8e7d6: ${COMMIT.message}): its issue first appeared in this run, the first on this build (the run before saw AAAA1111).`);
  await rollback.scrollIntoViewIfNeeded();
  await shoot(page, testInfo, "run-since-deploy-desktop-light");
  await setScanViewport(page, SCAN_VIEWPORTS[2]);
  await rollback.scrollIntoViewIfNeeded();
  await shoot(page, testInfo, "run-since-deploy-phone-light");
  expect(await seriousA11yFindings(page, testInfo, "run-since-deploy"), "run page").toEqual([]);
  // The run before the deploy saw the same issue nowhere: it has no claim to make.
  const deploy = (await (await page.request.get(`${runsPath(addon)}/${beforeId}/deploy`)).json()) as { afterDeploy: boolean };
  expect(deploy.afterDeploy).toBe(false);
});

test("/checks shows each endpoint and page the runs requested, with its sample counts", async ({ page, addon }, testInfo) => {
  test.setTimeout(120_000);
  expect(real, "the first test's run").toBeTruthy();
  await login(page, addon.admin);
  await page.goto(`${addon.page}/checks?range=24h`);
  await expect(page.locator("h1")).toHaveText("Check history");
  const counts = await sql<{ code: string; subject: string; n: string }>(addon, `SELECT code, subject, count(*) AS n FROM troubleshooter."CheckSample" WHERE "targetKey" = $1 AND code LIKE 'probe.%' GROUP BY 1, 2`, [real?.targetKey]);
  const endpoints = counts.filter((c) => c.code === "probe.endpoint");
  expect(endpoints.length).toBeGreaterThan(0);
  for (const c of counts) {
    const row = page.locator(`[data-testid="probe-row"][data-kind="${c.code === "probe.page" ? "page" : "endpoint"}"][data-url="${c.subject}"]`);
    await expect(row.getByTestId("probe-availability"), c.subject).toHaveText(new RegExp(`^\\d+ of ${c.n} \\(`));
    // Too few samples for a p99 from one run: said, not guessed.
    await expect(row.locator("td").last()).toHaveText(new RegExp(`^n too small \\(n = \\d+; needs 100\\)$`));
  }
  await expect(page.getByTestId("check-row").first()).toBeVisible();
  await shoot(page, testInfo, "checks-desktop-light");
});

test("history and checks pass axe at desktop and phone width, light and dark", async ({ page, addon }, testInfo) => {
  test.setTimeout(180_000);
  await login(page, addon.admin);
  for (const at of ["history?target=default&range=24h", "checks?range=24h"]) {
    for (const viewport of SCAN_VIEWPORTS) {
      await setScanViewport(page, viewport);
      await page.goto(`${addon.page}/${at}`);
      await expect(page.locator("h1")).toBeVisible();
      const name = `${at.split("?")[0]}-${viewport.name}`;
      expect(await seriousA11yFindings(page, testInfo, name), name).toEqual([]);
      await shoot(page, testInfo, name);
    }
  }
});
