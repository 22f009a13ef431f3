// What a server process of the host does once at start (its instrumentation.ts register()): runs
// left "running" by a process that died are marked interrupted (with the reason) instead of showing
// "running" until the next run starts, ended runs missing from the history rollup are added, and
// maintenance runs every minute. The workflow engine is built on first use, not here.
import type { PrismaClient } from "../db";
import { logger } from "../monitoring/logger";
import { startMaintenanceTimer } from "../monitoring/maintenance";
import { rollUpEndedRuns } from "../troubleshooting/queries/rollup";
import { markStaleRuns } from "../troubleshooting/runs/run-status";
import type { AddonContext } from "./context";
import { maintenanceSettings } from "./maintenance";

export async function registerAddon(addon: AddonContext, options: { extraPrune?: (prisma: PrismaClient) => Promise<unknown> } = {}): Promise<() => void> {
  const stop = startMaintenanceTimer(addon.prisma, () => ({ ...maintenanceSettings(addon), extraPrune: options.extraPrune }));
  try {
    const { alerts, config } = maintenanceSettings(addon);
    const marked = await markStaleRuns(addon.prisma(), config.RUN_STALE_AFTER_SECONDS * 1_000, alerts);
    if (marked.length) logger().warn({ component: "startup", runs: marked.length }, "marked stale runs interrupted");
    await rollUpEndedRuns(addon.prisma());
  } catch (err) {
    // No database yet (or not migrated): the server still starts, and the pages say so.
    logger().warn({ component: "startup", error: err instanceof Error ? err.name : "error" }, "could not check for stale runs at start-up");
  }
  return stop;
}
