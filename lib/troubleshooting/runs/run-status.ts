// How a run ends when its graph did not end it (failed, cancelled, interrupted), and how a run that
// lost its process is told apart from a live one: the executing process beats a heartbeat; a run
// whose heartbeat stopped longer than the staleness window ago is marked interrupted.
import type { PrismaClient } from "../../db";
import { type AlertSettings, STORED_ONLY_ALERTS } from "../../monitoring/alerts/settings";
import { retryOnConnectionError } from "./db-retry";
import { appendEvent } from "./events";
import { afterRunEnded } from "./run-ended";
import { ACTIVE_RUN_STATUSES } from "../report";

/** Default staleness window (RUN_STALE_AFTER_SECONDS): six missed heartbeats. */
export const STALE_AFTER_MS = 60_000;

/** Beats several times per window, so one slow or failed beat does not make a live run look dead. */
function heartbeatEvery(staleAfterMs: number): number {
  return Math.max(1_000, Math.min(10_000, Math.floor(staleAfterMs / 4)));
}

/** Keeps a running run's heartbeatAt fresh while this process executes it. `onLost` is called when
 * another process has ended it meanwhile (marked it interrupted after a long stall, or cancelled it):
 * this process must stop rather than keep writing to a run it no longer owns. `onCancelRequested`
 * is called when a cancel was requested from another process (the CLI, another server instance),
 * which cannot abort this one's work: the run then stops within a beat, not at its next node,
 * which may be minutes away (a slow diagnosis, a fix). */
export function startHeartbeat(prisma: PrismaClient, runId: string, staleAfterMs: number, onLost: () => void, onCancelRequested: () => void): { stop(): void } {
  const beat = async () => {
    const fresh = await prisma.troubleshootingRun.updateMany({ where: { id: runId, status: "running" }, data: { heartbeatAt: new Date() } });
    if (fresh.count > 0) {
      // Still beating while it stops: a run slow to stop is not taken for a dead one.
      if ((await prisma.troubleshootingRun.count({ where: { id: runId, cancelRequested: true } })) > 0) onCancelRequested();
      return;
    }
    const run = await prisma.troubleshootingRun.findUnique({ where: { id: runId }, select: { status: true } });
    if (!run || run.status === "interrupted" || run.status === "cancelled" || run.status === "failed") onLost();
  };
  // A beat that fails (a dropped connection) is simply missed; the next one, or the next event, counts.
  const timer = setInterval(() => void beat().catch(() => {}), heartbeatEvery(staleAfterMs));
  timer.unref();
  return { stop: () => clearInterval(timer) };
}

/** Ends an active run (once: a run that already ended is left as it is). */
export async function finish(prisma: PrismaClient, runId: string, status: "failed" | "cancelled" | "interrupted", reason: string, alerts: AlertSettings = STORED_ONLY_ALERTS): Promise<void> {
  const ended = await retryOnConnectionError(async () => {
    const run = await prisma.troubleshootingRun.findUnique({ where: { id: runId }, select: { startedAt: true } });
    const finishedAt = new Date();
    return prisma.troubleshootingRun.updateMany({
      where: { id: runId, status: { in: [...ACTIVE_RUN_STATUSES] } },
      data: { status, statusReason: reason, finishedAt, durationMs: run ? finishedAt.getTime() - run.startedAt.getTime() : null },
    });
  });
  if (ended.count === 0) return;
  await abandonApplying(prisma, runId, status === "interrupted" ? "the server running it stopped" : status === "cancelled" ? "the run was cancelled" : "the run failed");
  // An interrupted run can be resumed from its checkpoint, so its planned and pending actions and
  // the decisions already made stay as they are (the report shows planned and approved ones as
  // skipped while the run stands interrupted).
  if (status !== "interrupted") {
    await retryOnConnectionError(() =>
      prisma.fixAction.updateMany({ where: { runId, status: { in: ["planned", "pending_approval", "approved"] } }, data: { status: "skipped" } }),
    );
  }
  const type = status === "failed" ? "run_failed" : status === "cancelled" ? "run_cancelled" : "run_interrupted";
  await appendEvent(prisma, runId, "final_report", type, { reason });
  await afterRunEnded(prisma, runId, alerts);
}

/** An action claimed for applying whose apply was cut off did not finish: it is failed, with its
 * effect unknown (verification re-checks its issue), and is never applied a second time. */
export async function abandonApplying(prisma: PrismaClient, runId: string, why: string): Promise<void> {
  const cut = await retryOnConnectionError(() => prisma.fixAction.findMany({ where: { runId, status: "applying" }, select: { id: true, code: true } }));
  for (const action of cut) {
    const detail = `cut off while being applied (${why}); its effect is unknown`;
    await retryOnConnectionError(() => prisma.fixAction.update({ where: { id: action.id }, data: { status: "failed", detail } }));
    await appendEvent(prisma, runId, "resolution", "action_failed", { actionId: action.id, code: action.code, detail });
  }
}

/** Marks runs that lost their process interrupted, with the reason, rather than leave them
 * "running" (and blocking their target): a queued or running run whose heartbeat stopped, and an
 * approved run whose resumer never took it up. A run waiting for an admin's decision is not stale:
 * it executes nowhere until the decision, which any process can act on. Called at server start,
 * before each new run, and periodically by the maintenance timer. */
export async function markStaleRuns(prisma: PrismaClient, staleAfterMs = STALE_AFTER_MS, alerts: AlertSettings = STORED_ONLY_ALERTS): Promise<string[]> {
  const before = new Date(Date.now() - staleAfterMs);
  const stale = await prisma.troubleshootingRun.findMany({
    where: {
      heartbeatAt: { lt: before },
      OR: [
        { status: { in: ["queued", "running"] } },
        { status: "awaiting_approval", actions: { some: { needsApproval: true }, none: { status: "pending_approval" } } },
      ],
    },
    select: { id: true },
  });
  const window = staleAfterMs >= 60_000 ? `${Math.round(staleAfterMs / 60_000)} minute(s)` : `${Math.round(staleAfterMs / 1_000)} s`;
  for (const { id } of stale) {
    await finish(prisma, id, "interrupted", `no progress for ${window}: the server running it stopped (restart or crash); resume it from its last checkpoint or start a new run`, alerts);
  }
  return stale.map((r) => r.id);
}
