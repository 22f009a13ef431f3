// The platform twin in a vitest file: one database with the twin's schema and seed for the file,
// and twins started by the tests, each stopped after its test.
import { afterEach, beforeAll } from "vitest";
import { createTestDatabase } from "./databases";
import { type PlatformTwin, type PlatformTwinOptions, ensurePlatformTwinBuilt, preparePlatformTwinDatabase, startPlatformTwin } from "./platform-twin";

export interface TwinHarness {
  /** The twin's database (valid once the file's beforeAll ran). */
  databaseUrl(): string;
  /** Starts a twin on that database; it is stopped after the test. */
  start(options?: Omit<PlatformTwinOptions, "databaseUrl">): Promise<PlatformTwin>;
}

export function twinPerTest(): TwinHarness {
  let databaseUrl = "";
  const running: PlatformTwin[] = [];
  beforeAll(async () => {
    await ensurePlatformTwinBuilt(); // already built by the global setup, unless run on its own
    databaseUrl = await createTestDatabase({ migrate: false });
    await preparePlatformTwinDatabase(databaseUrl);
  }, 300_000);
  afterEach(async () => {
    await Promise.all(running.splice(0).map((twin) => twin.close()));
  });
  return {
    databaseUrl: () => databaseUrl,
    async start(options = {}) {
      const twin = await startPlatformTwin({ ...options, databaseUrl });
      running.push(twin);
      return twin;
    },
  };
}
