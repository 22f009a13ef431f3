// Periodic upkeep that no single run triggers: runs whose process died are marked interrupted
// (resumable), alerts for approvals left waiting are raised, approvals left waiting past
// APPROVAL_EXPIRY_MINUTES are rejected as expired (and their runs resumed, when an engine is at
// hand), and data older than RETENTION_DAYS is pruned. Run by the cron route, by `npm run worker`,
// and every minute by a long-running server (the add-on's register()). Every task is idempotent, so
// instances that overlap do no harm; within one timer, a tick never starts while the previous one
// is still going.
import type { PrismaClient } from "../db";
import type { Env } from "../env";
import { expireApprovals } from "../troubleshooting/runs/approval-expiry";
import { resumeRun } from "../troubleshooting/runs/run-service";
import { markStaleRuns } from "../troubleshooting/runs/run-status";
import type { Engine } from "../troubleshooting/workflow/engine";
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
  config: Pick<Env, "RETENTION_DAYS" | "RUN_STALE_AFTER_SECONDS" | "APPROVAL_EXPIRY_MINUTES">;
  alerts: AlertSettings;
  /** The instance's engine, to resume runs whose approvals expired. Without it they are still
   * rejected as expired; the run is then resumed by the next run requested on its target, or, once
   * stale, marked interrupted (no longer holding its target) and resumable. */
  engine?: () => Promise<Engine>;
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
    // Alerts first: a run about to expire is warned of (this tick at the latest) before it does.
    sweepApprovalAlerts: () => sweepApprovalAlerts(prisma, new Date(), { ...alerts, approvalExpiryMinutes: config.APPROVAL_EXPIRY_MINUTES }),
    expireApprovals: () => expireAndResume(prisma, settings),
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

/** Rejects expired approvals, then resumes their runs one after another (each goes on to its report). */
async function expireAndResume(prisma: PrismaClient, settings: MaintenanceSettings): Promise<void> {
  const runIds = await expireApprovals(prisma, { expiryMinutes: settings.config.APPROVAL_EXPIRY_MINUTES });
  if (runIds.length === 0 || !settings.engine) return;
  const engine = await settings.engine();
  for (const runId of runIds) await resumeRun(engine, runId);
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
