// Periodic upkeep that no single run triggers: runs whose process died are marked interrupted
// (resumable), alerts for approvals left waiting are raised, and data older than RETENTION_DAYS
// is pruned. Run by the cron route, by `npm run worker`, and every few
// minutes by a long-running server (instrumentation.ts).
import type { PrismaClient } from "../db";
import { logger } from "./logger";
import { sweepApprovalAlerts } from "./alerts";
import { pruneFromEnv } from "./retention";
import { markStaleRuns, staleAfterMsFromEnv } from "../troubleshooting/run-status";

export async function runMaintenance(prisma: PrismaClient): Promise<void> {
  const log = logger().child({ component: "maintenance" });
  const tasks = {
    markStaleRuns: (p: PrismaClient) => markStaleRuns(p, staleAfterMsFromEnv()),
    sweepApprovalAlerts: (p: PrismaClient) => sweepApprovalAlerts(p),
    pruneFromEnv: (p: PrismaClient) => pruneFromEnv(p),
  };
  for (const [name, task] of Object.entries(tasks)) {
    try {
      await task(prisma);
    } catch (err) {
      log.warn({ task: name, error: err instanceof Error ? err.name : "error" }, "maintenance task failed");
    }
  }
}

/** Often enough that a run cut off by a crash is marked interrupted within about a minute of
 * going stale. */
const MAINTENANCE_EVERY_MS = 60_000;

/** Runs maintenance every minute in this process (never keeping it alive on its own). */
export function startMaintenanceTimer(prisma: () => PrismaClient): void {
  const timer = setInterval(() => void runMaintenance(prisma()), MAINTENANCE_EVERY_MS);
  timer.unref();
}
