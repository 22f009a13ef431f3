import { defineConfig } from "@playwright/test";
import { MOUNTED, STANDALONE } from "./e2e/support/mount";
import type { MountOptions } from "./e2e/support/test";

// Global setup starts each selected project's app (standalone: the built app on E2E_PORT;
// mounted: the platform twin hosting the add-on on E2E_TWIN_PORT), each against a throwaway
// embedded PostgreSQL, and unpacks Chromium from npm; workers start after it, so they see the env
// it sets.
const port = Number(process.env.E2E_PORT ?? 3210);
process.env.E2E_PORT = String(port);
const twinPort = Number(process.env.E2E_TWIN_PORT ?? 3220);
process.env.E2E_TWIN_PORT = String(twinPort);

/** Specs about the standalone app itself, not about an add-on in a host (see each for why):
 * its own sign-in form and limits, its own route files and session mechanics, its own server
 * killed and restarted or its database stopped, and the web bots run on the standalone app as a
 * target. The mounted project covers the host's side in mounted.spec.ts. */
const STANDALONE_ONLY = ["auth.spec.ts", "security.spec.ts", "health-down.spec.ts", "restart.spec.ts", "self-check.spec.ts"];

export default defineConfig<MountOptions>({
  testDir: "e2e",
  globalSetup: "./e2e/global-setup.ts",
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [["list"]],
  timeout: 60_000,
  use: {
    launchOptions: {
      executablePath: process.env.E2E_CHROMIUM_PATH,
      args: process.env.E2E_CHROMIUM_ARGS ? (JSON.parse(process.env.E2E_CHROMIUM_ARGS) as string[]) : [],
    },
    trace: "off",
  },
  projects: [
    { name: "standalone", testIgnore: ["mounted.spec.ts"], use: { baseURL: `http://localhost:${port}`, addon: STANDALONE } },
    { name: "mounted", testIgnore: STANDALONE_ONLY, use: { baseURL: `http://localhost:${twinPort}`, addon: MOUNTED } },
  ],
});
