// Periodic upkeep that no single run triggers: runs whose process died are marked interrupted
// (resumable), alerts for approvals left waiting are raised, data older than RETENTION_DAYS is
// pruned, and expired sign-in counters are deleted. Run by the cron route, by `npm run worker`,
// and every minute by a long-running server (instrumentation.ts). Every task is idempotent, so
// instances that overlap do no harm; within one process, a tick never starts while the previous
// one is still going.
import { deleteExpiredLoginLimits } from "../standalone/auth/login-limits";
import type { PrismaClient } from "../db";
import { markStaleRuns, staleAfterMsFromEnv } from "../troubleshooting/runs/run-status";
import { sweepApprovalAlerts } from "./alerts";
import { logger } from "./logger";
import { pruneFromEnv } from "./retention";

/** Often enough that a run cut off by a crash is marked interrupted within about a minute of
 * going stale. */
const MAINTENANCE_EVERY_MS = 60_000;
/** Retention deletes days-old data: once an hour is plenty, and spares the database. */
const PRUNE_EVERY_MS = 60 * 60_000;

let lastPruned = 0;

export async function runMaintenance(prisma: PrismaClient, options: { prune?: boolean } = {}): Promise<void> {
  const prune = options.prune ?? Date.now() - lastPruned >= PRUNE_EVERY_MS;
  const tasks: Record<string, () => Promise<unknown>> = {
    markStaleRuns: () => markStaleRuns(prisma, staleAfterMsFromEnv()),
    sweepApprovalAlerts: () => sweepApprovalAlerts(prisma),
    ...(prune
      ? { pruneFromEnv: () => pruneFromEnv(prisma).then(() => (lastPruned = Date.now())), deleteExpiredLoginLimits: () => deleteExpiredLoginLimits(prisma) }
      : {}),
  };
  for (const [name, task] of Object.entries(tasks)) {
    try {
      await task();
    } catch (err) {
      logger().warn({ component: "maintenance", task: name, error: err instanceof Error ? err.name : "error" }, "maintenance task failed");
    }
  }
}

/** Runs maintenance every minute in this process (never keeping it alive on its own). */
export function startMaintenanceTimer(prisma: () => PrismaClient): void {
  let running = false;
  const tick = async () => {
    if (running) return;
    running = true;
    try {
      await runMaintenance(prisma());
    } catch {
      // no database or configuration yet: the next tick tries again
    } finally {
      running = false;
    }
  };
  setInterval(() => void tick(), MAINTENANCE_EVERY_MS).unref();
}
