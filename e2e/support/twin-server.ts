// The platform twin (fixtures/platform) as the e2e suite's second host of the add-on: built if its
// sources changed, on a throwaway embedded PostgreSQL of its own (its migrations in public, the
// add-on's in schema "troubleshooter", its admin and plain user seeded in its own users table),
// served by `next start` on a fixed loopback port.
import { mkdtemp } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { type PlatformTwin, ensurePlatformTwinBuilt, preparePlatformTwinDatabase, startPlatformTwin } from "../../fixtures/test/platform-twin";
import { type EmbeddedServer, freePort, isPortFree, startEmbeddedPostgres } from "../../scripts/lib/embedded-postgres";
import { MOUNTED } from "./mount";

export interface TwinServer {
  twin: PlatformTwin;
  database: EmbeddedServer;
  /** Everything the twin's server printed. */
  logFile: string;
  stop(): Promise<void>;
}

/** `settings`: the add-on settings the twin forwards (fixtures/platform/lib/troubleshooter.ts),
 * by README name; they reach `next start` as TROUBLESHOOTER_<name>. */
export async function startTwinServer(port: number, settings: Record<string, string>): Promise<TwinServer> {
  if (!(await isPortFree(port))) throw new Error(`port ${port} is already in use (a twin left over from an earlier run?): stop it, or set E2E_TWIN_PORT`);
  const built = ensurePlatformTwinBuilt();
  const dir = await mkdtemp(path.join(os.tmpdir(), "troubleshooter-e2e-twin-"));
  const database = await startEmbeddedPostgres({ dataDir: path.join(dir, "pg"), port: await freePort(), password: MOUNTED.databasePassword, database: "platform", persistent: false });
  try {
    // Both settle before anything is stopped: a failed build must not stop the database under
    // the seeding client (its "terminating connection" would crash the runner).
    const settled = await Promise.allSettled([built, preparePlatformTwinDatabase(database.url)]);
    for (const result of settled) if (result.status === "rejected") throw result.reason;
    const env = Object.fromEntries(Object.entries(settings).map(([name, value]) => [`TROUBLESHOOTER_${name}`, value]));
    const logFile = path.join(dir, "server.log");
    const twin = await startPlatformTwin({ databaseUrl: database.url, port, env, logFile });
    return {
      twin,
      database,
      logFile,
      async stop() {
        await twin.close();
        await database.stop();
      },
    };
  } catch (error) {
    await database.stop();
    throw error;
  }
}
