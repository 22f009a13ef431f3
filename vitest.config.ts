import path from "node:path";
import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: { alias: { "@": path.resolve(import.meta.dirname) } },
  test: {
    include: ["lib/**/*.test.ts", "scripts/**/*.test.ts", "fixtures/**/*.test.ts"],
    globalSetup: ["fixtures/test/vitest-global-setup.ts"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // A valid configuration for code that reads env() (alert settings after each run); tests
    // hand their own databases to what they test, so this DATABASE_URL leads nowhere.
    env: { DATABASE_URL: "postgresql://vitest@127.0.0.1:9/unused", AUTH_SECRET: "vitest-auth-secret-".repeat(2), LOG_LEVEL: "warn" },
  },
});
