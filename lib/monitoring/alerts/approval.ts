// Approval sweep: fix actions left waiting for an administrator's approval. Run periodically (the
// cron route, the worker, a server timer), not at run end: a run awaiting approval has not ended.
import type { PrismaClient } from "../../db";
import { raiseAlerts, type RaiseResult } from "./raise";
import { approvalCandidate, type WaitingAction } from "./rules";
import type { AlertSettings } from "./settings";
import { runExpiryMinutes } from "../../troubleshooting/runs/approval-expiry";

/** The soonest an approval alert comes (minutes): a sweep runs every minute. */
const MIN_ALERT_AFTER_MINUTES = 0.5;

/** APPROVAL_EXPIRY_MINUTES when the settings do not say (engines built without a configuration). */
export const DEFAULT_APPROVAL_EXPIRY_MINUTES = 60;

/**
 * Minutes a pending approval waits before its alert: ALERT_APPROVAL_WAIT_MINUTES, but never later
 * than half the expiry, so the alert comes well before the approval expires (the sweeps run every
 * minute; a wait set at or past the expiry would otherwise never warn).
 */
export function approvalAlertAfterMinutes(settings: Pick<AlertSettings, "approvalWaitMinutes" | "approvalExpiryMinutes">): number {
  const expiry = settings.approvalExpiryMinutes ?? DEFAULT_APPROVAL_EXPIRY_MINUTES;
  return Math.max(MIN_ALERT_AFTER_MINUTES, Math.min(settings.approvalWaitMinutes, expiry / 2));
}

/**
 * One approval_waiting alert per run awaiting approval whose pending action has waited longer
 * than the limit (approvalAlertAfterMinutes), saying when the approval expires. Deduped per run:
 * a sweep every few minutes does not resend, and a run still waiting after the dedupe window gets
 * a reminder.
 */
export async function sweepApprovalAlerts(prisma: PrismaClient, now: Date, settings: AlertSettings): Promise<RaiseResult> {
  const fallbackExpiry = settings.approvalExpiryMinutes ?? DEFAULT_APPROVAL_EXPIRY_MINUTES;
  // Each run has its own expiry (runExpiryMinutes), so its own alert time: read every wait past
  // the earliest an alert can come, and judge each run by its own.
  const earliest = new Date(now.getTime() - MIN_ALERT_AFTER_MINUTES * 60_000);
  // Actions are created in pending_approval and not touched while they wait: updatedAt is when
  // the wait began (it also covers an action moved into that status later).
  const actions = await prisma.fixAction.findMany({
    where: { status: "pending_approval", updatedAt: { lt: earliest }, run: { status: "awaiting_approval" } },
    orderBy: { updatedAt: "asc" },
    take: 1_000,
    select: { runId: true, code: true, title: true, updatedAt: true, run: { select: { targetKey: true, target: true, config: true } } },
  });
  const byRun = new Map<string, { run: { id: string; targetKey: string; target: unknown }; expiryMinutes: number; waiting: WaitingAction[] }>();
  for (const { run: { config, ...run }, ...a } of actions) {
    const entry = byRun.get(a.runId) ?? { run: { id: a.runId, ...run }, expiryMinutes: runExpiryMinutes(config, fallbackExpiry), waiting: [] };
    entry.waiting.push({ code: a.code, title: a.title, waitingSince: a.updatedAt });
    byRun.set(a.runId, entry);
  }
  // The run expires with its oldest pending action (approval-expiry.ts): that is the time to name.
  const candidates = [...byRun.values()].flatMap(({ run, expiryMinutes, waiting }) => {
    const afterMs = approvalAlertAfterMinutes({ ...settings, approvalExpiryMinutes: expiryMinutes }) * 60_000;
    const due = waiting.filter((w) => now.getTime() - w.waitingSince.getTime() > afterMs);
    if (due.length === 0) return [];
    const since = Math.min(...due.map((w) => w.waitingSince.getTime()));
    return [approvalCandidate(run, due, now, new Date(since + expiryMinutes * 60_000))];
  });
  return raiseAlerts(prisma, candidates, settings, now);
}
