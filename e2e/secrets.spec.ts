import { expect, test } from "@playwright/test";
import { login } from "./support/login";
import { startLongQuery } from "./support/long-query";
import { endRun, startOrJoinRun, untilSettled } from "./support/runs";
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
  // A long query gives the run an issue, so it scores under ALERT_SCORE_BELOW (100 in e2e) and an
  // alert is raised and sent to the webhook (which fails): the webhook URL is then really exercised.
  const victim = await startLongQuery("e2e-secrets-victim", 30);
  const runId = await startOrJoinRun(page.request, { initialIssue: "is anything leaking?", autoApprove: "none" });
  try {
    // Rejected, not cancelled: the run then completes with the issue open, and a completed run's
    // low score is what raises the alert.
    if ((await untilSettled(page.request, runId)) === "awaiting_approval") {
      const pending = ((await (await page.request.get(`${RUNS}/${runId}`)).json()) as { actions: { id: string; status: string }[] }).actions.filter((a) => a.status === "pending_approval");
      for (const action of pending) await page.request.post(`${RUNS}/${runId}/decisions`, { data: { actionId: action.id, decision: "reject" } });
    }
    await endRun(page.request, runId);
  } finally {
    await victim.cancel();
    await victim.end();
  }

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
  // The webhook URL was used: the alert is delivered (and retried with backoff) after the run
  // ended, and log lines reach the table in batches, so its failure shows up a moment later.
  await expect
    .poll(async () => (texts.logs = await (await page.request.get(api.logs)).text()), { timeout: 30_000 })
    .toContain("alert delivery failed");

  for (const path of ["/admin/troubleshooting", `/admin/troubleshooting/runs/${runId}`, "/admin/troubleshooting/history", "/admin/troubleshooting/monitoring"]) {
    await page.goto(path);
    texts[`page ${path}`] = await page.content();
  }
  for (const [where, text] of Object.entries(texts)) {
    for (const [name, secret] of Object.entries(SECRETS)) expect(text.includes(secret), `${name} in ${where}`).toBe(false);
  }
});
