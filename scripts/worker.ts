// npm run worker: takes queued troubleshooting runs (lib/queue/run-queue.ts) and runs them, up to
// WORKER_CONCURRENCY at once, plus the fleet's scheduled runs (FLEET_CONCURRENCY at once across
// every worker), and ticks the fleet's schedule (lib/targets/schedule.ts) every 30 s. Any number
// of workers may share one DATABASE_URL. SIGINT/SIGTERM stop it gracefully: no new jobs, runs in
// progress get a grace period, then they are marked interrupted.
import { localConfig, startLocalDatabase } from "./lib/local-database";
import { applyMigrations } from "./lib/migrations";

const SHUTDOWN_GRACE_MS = 25_000;

async function main(): Promise<number> {
  const local = await localConfig();
  process.env.DATABASE_URL = local.databaseUrl;
  process.env.AUTH_SECRET ||= local.state?.authSecret;
  const postgres = await startLocalDatabase(local, (line) => process.stderr.write(`[worker] ${line}\n`));
  try {
    await applyMigrations(local.databaseUrl);
    // Imported after DATABASE_URL is set: the engine and the logger read the environment on first use.
    const { env } = await import("../lib/env");
    const { logger, setLogDestination } = await import("../lib/monitoring/logger");
    setLogDestination(process.stderr); // a command's stdout is its output, not its log
    const { standaloneContext: addon } = await import("../lib/standalone/context");
    const { maintenanceSettings } = await import("../lib/mount/maintenance");
    const { openRunQueue, startRunWorker } = await import("../lib/queue/run-queue");
    const { startMaintenanceTimer } = await import("../lib/monitoring/maintenance");
    const { startFleetScheduler } = await import("../lib/targets/schedule");
    const log = logger().child({ component: "worker" });
    const concurrency = env().WORKER_CONCURRENCY;
    const engine = await addon.engine();
    const queue = await openRunQueue(env());
    const worker = await startRunWorker(queue, engine, { concurrency });
    const scheduler = startFleetScheduler(queue);
    startMaintenanceTimer(() => engine.deps.prisma, () => maintenanceSettings(addon));
    log.info({ concurrency, fleetConcurrency: env().FLEET_CONCURRENCY, pid: process.pid }, "worker started; waiting for queued runs");

    const signal = await new Promise<NodeJS.Signals>((resolve) => {
      process.once("SIGINT", () => resolve("SIGINT"));
      process.once("SIGTERM", () => resolve("SIGTERM"));
    });
    // A second signal ends the process at once.
    const force = () => process.exit(1);
    process.once("SIGINT", force);
    process.once("SIGTERM", force);
    log.info({ signal, graceMs: SHUTDOWN_GRACE_MS }, "worker stopping");
    await scheduler.stop();
    await worker.stop({ graceMs: SHUTDOWN_GRACE_MS });
    await queue.close();
    await addon.close();
    log.info("worker stopped");
    return 0;
  } finally {
    await postgres?.stop();
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`[worker] failed: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
