import { asAppRole } from "../fixtures/test/checks";
import { startTargetServer } from "../fixtures/test/target-server";
import { chromiumLaunch } from "../lib/troubleshooting/site/chromium";
import { startAppServer } from "./support/app-server";
import { E2E_CRON_SECRET, E2E_METRICS_TOKEN, E2E_TARGET_BEARER, E2E_TARGET_COOKIE, E2E_WEBHOOK_SECRET } from "./support/users";

/** Starts the app once for all specs; specs read its URL from the config's baseURL. The app
 * troubleshoots a loopback target site (slow enough that a run lasts a few seconds) and its own
 * database, where a query counts as long-running after 1 s. */
export default async function globalSetup() {
  const launch = await chromiumLaunch();
  process.env.E2E_CHROMIUM_PATH = launch.executablePath;
  process.env.E2E_CHROMIUM_ARGS = JSON.stringify(launch.args);
  const target = await startTargetServer({ delayMs: 300 });
  const app = await startAppServer(Number(process.env.E2E_PORT ?? 3210), {
    TARGET_BASE_URL: target.url,
    // The loopback target is a plain page, not a platform with this add-on's endpoints.
    TARGET_ENDPOINTS_PRESET: "none",
    CRON_SECRET: E2E_CRON_SECRET,
    METRICS_TOKEN: E2E_METRICS_TOKEN,
    TARGET_BEARER_TOKEN: E2E_TARGET_BEARER,
    TARGET_SESSION_COOKIE: `session=${E2E_TARGET_COOKIE}`,
    // Nothing listens there: an alert's delivery fails, and its error must not quote the URL.
    ALERT_WEBHOOK_URL: `http://127.0.0.1:9/services/${E2E_WEBHOOK_SECRET}`,
    ALERT_SCORE_BELOW: "100",
    CHECK_THRESHOLDS: JSON.stringify({ "db.long_running_query": { mediumSeconds: 1 } }),
  });
  process.env.E2E_DATABASE_URL = app.database.url; // the add-on's own database, as its owner
  process.env.E2E_APP_ROLE_DATABASE_URL = await asAppRole(app.database.url); // a non-superuser, as an app would use
  process.env.E2E_TARGET_URL = target.url;
  return async () => {
    await app.stop();
    await target.close();
  };
}
