import { asAppRole } from "../fixtures/test/checks";
import { startTargetServer } from "../fixtures/test/target-server";
import { chromiumLaunch } from "../lib/troubleshooting/site/chromium";
import { startAppServer } from "./support/app-server";
import { startTwinServer } from "./support/twin-server";
import { E2E_CRON_SECRET, E2E_METRICS_TOKEN, E2E_TARGET_BEARER, E2E_TARGET_COOKIE, E2E_WEBHOOK_SECRET } from "./support/users";

/** The add-on's settings in both projects (the standalone app's env; the twin's createTroubleshooter
 * settings). A query counts as long-running after 1 s; an alert is raised below a score of 100 and
 * sent where nothing listens, so its delivery fails (and its error must not quote the URL). */
const SHARED_SETTINGS = {
  CRON_SECRET: E2E_CRON_SECRET,
  METRICS_TOKEN: E2E_METRICS_TOKEN,
  TARGET_BEARER_TOKEN: E2E_TARGET_BEARER,
  TARGET_SESSION_COOKIE: `session=${E2E_TARGET_COOKIE}`,
  ALERT_WEBHOOK_URL: `http://127.0.0.1:9/services/${E2E_WEBHOOK_SECRET}`,
  ALERT_SCORE_BELOW: "100",
  CHECK_THRESHOLDS: JSON.stringify({ "db.long_running_query": { mediumSeconds: 1 } }),
  LOG_LEVEL: "info",
};

/** The projects this run selected with --project (every one when none is named). */
function selected(project: string): boolean {
  const named: string[] = [];
  process.argv.forEach((arg, index) => {
    if (arg === "--project") named.push(process.argv[index + 1] ?? "");
    else if (arg.startsWith("--project=")) named.push(arg.slice("--project=".length));
  });
  return named.length === 0 || named.includes(project);
}

/** Starts the apps of the selected projects once for all specs; specs read their URLs from the
 * config's baseURL. `standalone`: the app troubleshoots a loopback target site (slow enough that
 * a run lasts a few seconds) and its own database. `mounted`: the platform twin mounts the add-on,
 * which troubleshoots the twin itself and the twin's database. */
export default async function globalSetup() {
  const launch = await chromiumLaunch();
  process.env.E2E_CHROMIUM_PATH = launch.executablePath;
  process.env.E2E_CHROMIUM_ARGS = JSON.stringify(launch.args);
  const stops: (() => Promise<void>)[] = [];
  const stopAll = async () => {
    for (const stop of stops.reverse()) await stop();
  };
  try {
    if (selected("standalone")) {
      const target = await startTargetServer({ delayMs: 300 });
      stops.push(() => target.close());
      const app = await startAppServer(Number(process.env.E2E_PORT ?? 3210), {
        ...SHARED_SETTINGS,
        TARGET_BASE_URL: target.url,
        // The loopback target is a plain page, not a platform with this add-on's endpoints.
        TARGET_ENDPOINTS_PRESET: "none",
      });
      stops.push(() => app.stop());
      process.env.E2E_DATABASE_URL = app.database.url; // the add-on's own database, as its owner
      process.env.E2E_APP_ROLE_DATABASE_URL = await asAppRole(app.database.url); // a non-superuser, as an app would use
      process.env.E2E_TARGET_URL = target.url;
      process.env.E2E_SERVER_LOG = app.logFile;
    }
    if (selected("mounted")) {
      const started = Date.now();
      const host = await startTwinServer(Number(process.env.E2E_TWIN_PORT ?? 3220), SHARED_SETTINGS);
      stops.push(() => host.stop());
      process.env.E2E_TWIN_DATABASE_URL = host.database.url;
      process.env.E2E_TWIN_APP_ROLE_DATABASE_URL = await asAppRole(host.database.url);
      process.env.E2E_TWIN_SERVER_LOG = host.logFile;
      console.log(`[e2e] platform twin (mounted) ready at ${host.twin.url} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    }
  } catch (error) {
    await stopAll();
    throw error;
  }
  return stopAll;
}
