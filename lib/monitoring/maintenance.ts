// Periodic upkeep that no single run triggers: alerts for approvals left waiting, and pruning of
// data older than RETENTION_DAYS. Run by the cron route, by `npm run worker`, and every few
// minutes by a long-running server (instrumentation.ts).
import type { PrismaClient } from "../db";
import { logger } from "./logger";
import { sweepApprovalAlerts } from "./alerts";
import { pruneFromEnv } from "./retention";

export async function runMaintenance(prisma: PrismaClient): Promise<void> {
  const log = logger().child({ component: "maintenance" });
  const tasks = { sweepApprovalAlerts, pruneFromEnv } as const;
  for (const [name, task] of Object.entries(tasks)) {
    try {
      await task(prisma);
    } catch (err) {
      log.warn({ task: name, error: err instanceof Error ? err.name : "error" }, "maintenance task failed");
    }
  }
}

const MAINTENANCE_EVERY_MS = 5 * 60_000;

/** Runs maintenance every few minutes in this process (never keeping it alive on its own). */
export function startMaintenanceTimer(prisma: () => PrismaClient): void {
  const timer = setInterval(() => void runMaintenance(prisma()), MAINTENANCE_EVERY_MS);
  timer.unref();
}
