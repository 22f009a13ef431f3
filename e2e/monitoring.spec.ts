import { expect, test } from "@playwright/test";
import { login } from "./support/login";
import { ADMIN, E2E_CRON_SECRET, E2E_METRICS_TOKEN } from "./support/users";

const bearer = (secret: string) => ({ authorization: `Bearer ${secret}` });

test("metrics answer an admin session or the metrics token, in Prometheus text, and nobody else", async ({ page, request }) => {
  expect((await request.get("/api/admin/bots/metrics")).status()).toBe(401);
  expect((await request.get("/api/admin/bots/metrics", { headers: bearer("wrong-token-0123456789") })).status()).toBe(401);
  const scraped = await request.get("/api/admin/bots/metrics", { headers: bearer(E2E_METRICS_TOKEN) });
  expect(scraped.status()).toBe(200);
  expect(scraped.headers()["content-type"]).toContain("text/plain");
  expect(await scraped.text()).toMatch(/^# TYPE troubleshooter_runs_total counter$/m);
  await login(page, ADMIN);
  expect((await page.request.get("/api/admin/bots/metrics")).status()).toBe(200);
});

test("the cron route starts a run with the cron secret only, and skips while one is active", async ({ page, request }) => {
  expect((await request.get("/api/admin/bots/cron")).status()).toBe(401);
  expect((await request.get("/api/admin/bots/cron", { headers: bearer("wrong-secret-0123456789") })).status()).toBe(401);
  const started = await request.get("/api/admin/bots/cron", { headers: bearer(E2E_CRON_SECRET) });
  expect(started.status()).toBe(202);
  const { runId } = (await started.json()) as { runId: string };
  const again = await request.get("/api/admin/bots/cron", { headers: bearer(E2E_CRON_SECRET) });
  expect(again.status()).toBe(200);
  expect(await again.json()).toEqual({ started: false, runId });

  await login(page, ADMIN);
  const report = (await (await page.request.get(`/api/admin/bots/runs/${runId}`)).json()) as { trigger: string };
  expect(report.trigger).toBe("cron");
  await page.request.post(`/api/admin/bots/runs/${runId}/cancel`);
  await expect
    .poll(async () => ((await (await page.request.get(`/api/admin/bots/runs/${runId}`)).json()) as { status: string }).status, { timeout: 30_000 })
    .toMatch(/^(completed|cancelled|failed)$/);
});
