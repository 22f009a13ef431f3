import { defineConfig } from "@playwright/test";

// Global setup starts the built app on this port against a throwaway embedded PostgreSQL and
// unpacks Chromium from npm; workers start after it, so they see the env it sets.
const port = Number(process.env.E2E_PORT ?? 3210);
process.env.E2E_PORT = String(port);

export default defineConfig({
  testDir: "e2e",
  globalSetup: "./e2e/global-setup.ts",
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [["list"]],
  timeout: 60_000,
  use: {
    baseURL: `http://localhost:${port}`,
    launchOptions: {
      executablePath: process.env.E2E_CHROMIUM_PATH,
      args: process.env.E2E_CHROMIUM_ARGS ? (JSON.parse(process.env.E2E_CHROMIUM_ARGS) as string[]) : [],
    },
    trace: "off",
  },
});
