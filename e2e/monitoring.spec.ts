import { login } from "./support/login";
import { endRun, runsPath, startOrJoinRun, untilSettled } from "./support/runs";
import { expect, test } from "./support/test";
import { E2E_CRON_SECRET, E2E_METRICS_TOKEN } from "./support/users";

const bearer = (secret: string) => ({ authorization: `Bearer ${secret}` });

test("metrics answer an admin session or the metrics token, in Prometheus text, and nobody else", async ({ page, request, addon }) => {
  const metrics = `${addon.api}/metrics`;
  expect((await request.get(metrics)).status()).toBe(401);
  expect((await request.get(metrics, { headers: bearer("wrong-token-0123456789") })).status()).toBe(401);
  const scraped = await request.get(metrics, { headers: bearer(E2E_METRICS_TOKEN) });
  expect(scraped.status()).toBe(200);
  expect(scraped.headers()["content-type"]).toContain("text/plain");
  expect(await scraped.text()).toMatch(/^# TYPE troubleshooter_runs_total counter$/m);
  await login(page, addon.admin);
  expect((await page.request.get(metrics)).status()).toBe(200);
});

test("the cron route starts a run with the cron secret only, and skips while one is active", async ({ page, request, addon }) => {
  const cron = `${addon.api}/cron`;
  expect((await request.get(cron)).status()).toBe(401);
  expect((await request.get(cron, { headers: bearer("wrong-secret-0123456789") })).status()).toBe(401);
  const started = await request.get(cron, { headers: bearer(E2E_CRON_SECRET) });
  expect(started.status()).toBe(202);
  const { runId } = (await started.json()) as { runId: string };
  const again = await request.get(cron, { headers: bearer(E2E_CRON_SECRET) });
  expect(again.status()).toBe(200);
  expect(await again.json()).toEqual({ started: false, runId });

  await login(page, addon.admin);
  const report = (await (await page.request.get(`${runsPath(addon)}/${runId}`)).json()) as { trigger: string };
  expect(report.trigger).toBe("cron");
  await endRun(page.request, addon, runId);
});

test("API answers carry a correlation id: the caller's X-Request-ID, or a new one", async ({ page, addon }) => {
  await login(page, addon.admin);
  const given = await page.request.get(`${addon.api}/health`, { headers: { "x-request-id": "e2e-trace-42" } });
  expect(given.headers()["x-request-id"]).toBe("e2e-trace-42");
  const made = await page.request.get(`${addon.api}/health`);
  expect(made.headers()["x-request-id"]).toMatch(/^[0-9a-f-]{36}$/);
});

test("the monitoring page shows status, bot and check figures after a run, and exports them", async ({ page, addon }) => {
  test.setTimeout(120_000); // mounted, the web bot crawls the whole twin in Chromium
  await login(page, addon.admin);
  const runId = await startOrJoinRun(page.request, addon, { domains: ["database", "web"], autoApprove: "none" });
  await untilSettled(page.request, addon, runId);
  await endRun(page.request, addon, runId);

  await page.goto(`${addon.page}/monitoring?range=24h`);
  await expect(page.getByTestId("monitoring-status")).toContainText(/Overall: (healthy|degraded|critical)/);
  await expect(page.getByTestId("component-addon")).toContainText("database round trip");
  const bots = page.getByTestId("bot-performance");
  await expect(bots.getByRole("row", { name: /database-diagnostic/ })).toBeVisible();
  await expect(page.getByTestId("check-performance").getByRole("row", { name: /db\.unreachable/ })).toContainText("100 %");

  const csv = await page.request.get(`${addon.api}/monitoring/export?format=csv`);
  expect(csv.status()).toBe(200);
  expect(csv.headers()["content-disposition"]).toMatch(/^attachment; filename="troubleshooter-monitoring-.+\.csv"$/);
  expect(await csv.text()).toMatch(/^kind,/);
  const bad = await page.request.get(`${addon.api}/monitoring/export?format=xml`);
  expect(bad.status()).toBe(422);
  expect(((await bad.json()) as { error: { fields: Record<string, string[]> } }).error.fields.format).toBeDefined();
});
