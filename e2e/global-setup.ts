import { chromiumLaunch } from "./support/chromium";
import { startAppServer } from "./support/app-server";

/** Starts the app once for all specs; specs read its URL from the config's baseURL. */
export default async function globalSetup() {
  const launch = await chromiumLaunch();
  process.env.E2E_CHROMIUM_PATH = launch.executablePath;
  process.env.E2E_CHROMIUM_ARGS = JSON.stringify(launch.args);
  const app = await startAppServer(Number(process.env.E2E_PORT ?? 3210));
  return () => app.stop();
}
