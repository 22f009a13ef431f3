// One throwaway embedded PostgreSQL server for the whole vitest run; each test file makes its
// own databases on it (see databases.ts).
import { mkdtemp } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { TestProject } from "vitest/node";
import { freePort, startEmbeddedPostgres } from "../lib/embedded-postgres";
import { ensurePlatformTwinBuilt } from "./platform-twin";

declare module "vitest" {
  export interface ProvidedContext {
    /** postgresql://user:pass@host:port (no database) of the test server. */
    pgServerUrl: string;
  }
}

export default async function setup(project: TestProject) {
  await ensurePlatformTwinBuilt(); // the platform twin's `next build`, skipped when its sources are unchanged
  const dataDir = path.join(await mkdtemp(path.join(os.tmpdir(), "troubleshooter-vitest-")), "pg");
  const server = await startEmbeddedPostgres({ dataDir, port: await freePort(), password: "vitest-password", persistent: false,
    // Prepared transactions are off by default (0); the database checks create real ones.
    settings: { max_prepared_transactions: 10 },
  });
  project.provide("pgServerUrl", server.url.replace(/\/postgres$/, ""));
  return () => server.stop();
}
