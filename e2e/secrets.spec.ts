import { expect, test } from "@playwright/test";
import { login } from "./support/login";
import { ADMIN, E2E_AUTH_SECRET, E2E_CRON_SECRET, E2E_METRICS_TOKEN, E2E_TARGET_BEARER, E2E_TARGET_COOKIE, E2E_WEBHOOK_SECRET } from "./support/users";

/** Every secret the e2e app is configured with, and the database passwords in its URLs. */
const SECRETS = {
  AUTH_SECRET: E2E_AUTH_SECRET,
  CRON_SECRET: E2E_CRON_SECRET,
  METRICS_TOKEN: E2E_METRICS_TOKEN,
  TARGET_BEARER_TOKEN: E2E_TARGET_BEARER,
  TARGET_SESSION_COOKIE: E2E_TARGET_COOKIE,
  "ALERT_WEBHOOK_URL path": E2E_WEBHOOK_SECRET,
  "database password": "e2e-db-password",
  "admin password": ADMIN.password,
};

const RUNS = "/api/admin/bots/runs";

test("no configured secret or database password appears in API answers, the event stream, reports, exports, logs or pages", async ({ page }) => {
  test.setTimeout(120_000);
  await login(page, ADMIN);
  const started = await page.request.post(RUNS, { data: { initialIssue: "is anything leaking?" } });
  const body = (await started.json()) as { runId?: string; error?: { runId: string } };
  const runId = body.runId ?? body.error?.runId;
  expect(runId).toBeTruthy();
  const status = async () => ((await (await page.request.get(`${RUNS}/${runId}`)).json()) as { status: string }).status;
  await expect.poll(status, { timeout: 60_000 }).toMatch(/^(completed|failed|cancelled|awaiting_approval)$/);
  if ((await status()) === "awaiting_approval") await page.request.post(`${RUNS}/${runId}/cancel`);
  await expect.poll(status, { timeout: 30_000 }).toMatch(/^(completed|failed|cancelled)$/);

  const texts: Record<string, string> = {};
  const api = {
    runs: RUNS,
    report: `${RUNS}/${runId}`,
    events: `${RUNS}/${runId}/events?after=0`,
    "export json": `${RUNS}/${runId}/export?format=json`,
    "export md": `${RUNS}/${runId}/export?format=md`,
    "monitoring json": "/api/admin/bots/monitoring/export?format=json",
    "monitoring csv": "/api/admin/bots/monitoring/export?format=csv",
    logs: "/api/admin/bots/logs?level=info&limit=1000",
    metrics: "/api/admin/bots/metrics",
    health: "/api/admin/bots/health",
    database: "/api/admin/bots/database",
  };
  for (const [name, url] of Object.entries(api)) {
    const res = await page.request.get(url);
    expect(res.status(), name).toBeLessThan(500);
    texts[name] = await res.text();
  }
  expect(texts.events).toContain("event: end"); // the whole stream was read
  expect((JSON.parse(texts.logs ?? "{}") as { entries: unknown[] }).entries.length).toBeGreaterThan(0);
  for (const path of ["/admin/troubleshooting", `/admin/troubleshooting/runs/${runId}`, "/admin/troubleshooting/history", "/admin/troubleshooting/monitoring"]) {
    await page.goto(path);
    texts[`page ${path}`] = await page.content();
  }
  for (const [where, text] of Object.entries(texts)) {
    for (const [name, secret] of Object.entries(SECRETS)) expect(text.includes(secret), `${name} in ${where}`).toBe(false);
  }
});
