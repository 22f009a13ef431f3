import { TWIN_AUTH_SECRET, TWIN_TROUBLESHOOTER_SECRET } from "../fixtures/test/platform-twin";
import { login } from "./support/login";
import { startLongQuery } from "./support/long-query";
import { type Mount, platformDatabaseUrl } from "./support/mount";
import { endRun, runStatus, runsPath, startOrJoinRun, untilSettled } from "./support/runs";
import { expect, test } from "./support/test";
import { E2E_AUTH_SECRET, E2E_CRON_SECRET, E2E_METRICS_TOKEN, E2E_TARGET_BEARER, E2E_TARGET_COOKIE, E2E_WEBHOOK_SECRET } from "./support/users";

/** Every secret the project's app is configured with, and the database passwords in its URLs.
 * Mounted, the host's session secret and the add-on's own `secret` are both there. */
function secretsOf(addon: Mount): Record<string, string> {
  const app: Record<string, string> = addon.mode === "standalone" ? { AUTH_SECRET: E2E_AUTH_SECRET } : { "host AUTH_SECRET": TWIN_AUTH_SECRET, "add-on secret": TWIN_TROUBLESHOOTER_SECRET };
  return {
    ...app,
    CRON_SECRET: E2E_CRON_SECRET,
    METRICS_TOKEN: E2E_METRICS_TOKEN,
    TARGET_BEARER_TOKEN: E2E_TARGET_BEARER,
    TARGET_SESSION_COOKIE: E2E_TARGET_COOKIE,
    "ALERT_WEBHOOK_URL path": E2E_WEBHOOK_SECRET,
    "database password": addon.databasePassword,
    "admin password": addon.admin.password,
  };
}

test("no configured secret or database password appears in API answers, the event stream, reports, exports, logs or pages", async ({ page, addon }) => {
  test.setTimeout(120_000);
  const RUNS = runsPath(addon);
  const SECRETS = secretsOf(addon);
  await login(page, addon.admin);
  // A long query gives the run an issue, so it scores under ALERT_SCORE_BELOW (100 in e2e) and an
  // alert is raised and sent to the webhook (which fails): the webhook URL is then really exercised.
  const victim = await startLongQuery(platformDatabaseUrl(addon), "e2e-secrets-victim", 30);
  const runId = await startOrJoinRun(page.request, addon, { initialIssue: "is anything leaking?", autoApprove: "none" });
  try {
    // Rejected, not cancelled: the run then completes with the issue open, and a completed run's
    // low score is what raises the alert.
    if ((await untilSettled(page.request, addon, runId)) === "awaiting_approval") {
      const pending = ((await (await page.request.get(`${RUNS}/${runId}`)).json()) as { actions: { id: string; status: string }[] }).actions.filter((a) => a.status === "pending_approval");
      for (const action of pending) await page.request.post(`${RUNS}/${runId}/decisions`, { data: { actionId: action.id, decision: "reject" } });
      // The last decision resumes the run: let it complete (a cancel now would end it without a score).
      await expect.poll(() => runStatus(page.request, addon, runId), { timeout: 60_000 }).toMatch(/^(completed|failed)$/);
    }
    await endRun(page.request, addon, runId);
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
    "monitoring json": `${addon.api}/monitoring/export?format=json`,
    "monitoring csv": `${addon.api}/monitoring/export?format=csv`,
    logs: `${addon.api}/logs?level=info&limit=1000`,
    metrics: `${addon.api}/metrics`,
    health: `${addon.api}/health`,
    database: `${addon.api}/database`,
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

  for (const path of [addon.page, `${addon.page}/runs/${runId}`, `${addon.page}/history`, `${addon.page}/monitoring`]) {
    await page.goto(path);
    texts[`page ${path}`] = await page.content();
  }
  for (const [where, text] of Object.entries(texts)) {
    for (const [name, secret] of Object.entries(SECRETS)) expect(text.includes(secret), `${name} in ${where}`).toBe(false);
  }
});
