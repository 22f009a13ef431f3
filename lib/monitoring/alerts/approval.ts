// Approval sweep: fix actions left waiting for an administrator's approval. Run periodically (the
// cron route, the worker, a server timer), not at run end: a run awaiting approval has not ended.
import type { PrismaClient } from "../../db";
import { raiseAlerts, type RaiseResult } from "./raise";
import { approvalCandidate, type WaitingAction } from "./rules";
import type { AlertSettings } from "./settings";

/**
 * One approval_waiting alert per run awaiting approval whose pending action has waited longer
 * than the limit. Deduped per run: a sweep every few minutes does not resend, and a run still
 * waiting after the dedupe window gets a reminder.
 */
export async function sweepApprovalAlerts(prisma: PrismaClient, now: Date, settings: AlertSettings): Promise<RaiseResult> {
  const cutoff = new Date(now.getTime() - settings.approvalWaitMinutes * 60_000);
  // Actions are created in pending_approval and not touched while they wait: updatedAt is when
  // the wait began (it also covers an action moved into that status later).
  const actions = await prisma.fixAction.findMany({
    where: { status: "pending_approval", updatedAt: { lt: cutoff }, run: { status: "awaiting_approval" } },
    orderBy: { updatedAt: "asc" },
    take: 1_000,
    select: { runId: true, code: true, title: true, updatedAt: true, run: { select: { targetKey: true, target: true } } },
  });
  const byRun = new Map<string, { run: { id: string; targetKey: string; target: unknown }; waiting: WaitingAction[] }>();
  for (const a of actions) {
    const entry = byRun.get(a.runId) ?? { run: { id: a.runId, ...a.run }, waiting: [] };
    entry.waiting.push({ code: a.code, title: a.title, waitingSince: a.updatedAt });
    byRun.set(a.runId, entry);
  }
  const candidates = [...byRun.values()].map(({ run, waiting }) => approvalCandidate(run, waiting, now));
  return raiseAlerts(prisma, candidates, settings, now);
}
