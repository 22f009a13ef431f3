// Periodic upkeep that no single run triggers: runs whose process died are marked interrupted
// (resumable), alerts for approvals left waiting are raised, and data older than RETENTION_DAYS is
// pruned. Run by the cron route, by `npm run worker`, and every minute by a long-running server
// (the add-on's register()). Every task is idempotent, so instances that overlap do no harm; within
// one timer, a tick never starts while the previous one is still going.
import type { PrismaClient } from "../db";
import type { Env } from "../env";
import { markStaleRuns } from "../troubleshooting/runs/run-status";
import { sweepApprovalAlerts } from "./alerts";
import type { AlertSettings } from "./alerts/settings";
import { logger } from "./logger";
import { pruneConfigured } from "./retention";

/** Often enough that a run cut off by a crash is marked interrupted within about a minute of
 * going stale. */
const MAINTENANCE_EVERY_MS = 60_000;
/** Retention deletes days-old data: once an hour is plenty, and spares the database. */
const PRUNE_EVERY_MS = 60 * 60_000;

export interface MaintenanceSettings {
  config: Pick<Env, "RETENTION_DAYS" | "RUN_STALE_AFTER_SECONDS">;
  alerts: AlertSettings;
  /** More pruning the host needs (the standalone app's expired sign-in counters). */
  extraPrune?: (prisma: PrismaClient) => Promise<unknown>;
}

/** Runs every task once; `prune` defaults to "at most hourly" (per `state`). */
export async function runMaintenance(prisma: PrismaClient, settings: MaintenanceSettings, options: { prune?: boolean; state?: { lastPruned: number } } = {}): Promise<void> {
  const state = options.state ?? { lastPruned: 0 };
  const prune = options.prune ?? Date.now() - state.lastPruned >= PRUNE_EVERY_MS;
  const { config, alerts, extraPrune } = settings;
  const tasks: Record<string, () => Promise<unknown>> = {
    markStaleRuns: () => markStaleRuns(prisma, config.RUN_STALE_AFTER_SECONDS * 1_000, alerts),
    sweepApprovalAlerts: () => sweepApprovalAlerts(prisma, new Date(), alerts),
    ...(prune ? { prune: () => pruneConfigured(prisma, config).then(() => (state.lastPruned = Date.now())) } : {}),
    ...(prune && extraPrune ? { extraPrune: () => extraPrune(prisma) } : {}),
  };
  for (const [name, task] of Object.entries(tasks)) {
    try {
      await task();
    } catch (err) {
      logger().warn({ component: "maintenance", task: name, error: err instanceof Error ? err.name : "error" }, "maintenance task failed");
    }
  }
}

/** Runs maintenance every minute in this process (never keeping it alive on its own). Returns a stop function. */
export function startMaintenanceTimer(prisma: () => PrismaClient, settings: () => MaintenanceSettings): () => void {
  let running = false;
  const state = { lastPruned: 0 };
  const tick = async () => {
    if (running) return;
    running = true;
    try {
      await runMaintenance(prisma(), settings(), { state });
    } catch {
      // no database or configuration yet: the next tick tries again
    } finally {
      running = false;
    }
  };
  const timer = setInterval(() => void tick(), MAINTENANCE_EVERY_MS);
  timer.unref();
  return () => clearInterval(timer);
}
