// Approvals never lock a target: a fix left waiting for a decision longer than
// APPROVAL_EXPIRY_MINUTES is rejected as expired (by no person: decidedById null, decidedByEmail
// EXPIRED_BY), audited as fix.expired, with an action_decided event; the caller then resumes the
// run, which goes on with those rejections and ends like any run whose fixes were rejected.
// Swept by maintenance (server timer, worker, cron route) and by createRun for its own target.
import { z } from "zod";
import type { PrismaClient } from "../../db";
import { appendEvent } from "./events";

/** Who decided an expired approval (decidedByEmail, the audit's actorEmail, the event's `by`). */
export const EXPIRED_BY = "system: approval expired";

export interface ExpiryOptions {
  /** APPROVAL_EXPIRY_MINUTES, for runs that do not carry their own (runExpiryMinutes). */
  expiryMinutes: number;
  /** Only this target's runs (createRun); default: every run. */
  targetKey?: string;
  now?: Date;
}

/**
 * Rejects, as expired, every pending action of each run awaiting approval whose oldest pending
 * action waited longer than the run's expiry (runExpiryMinutes; the run waits on all of them at once). Safe to run in
 * several processes at once: each action is decided by one conditional update, audited once.
 * @returns the ids of the runs to resume: those expired now, and those whose approvals expired
 *   earlier but that nobody resumed yet (resumeRun's claim lets one caller resume each).
 */
export async function expireApprovals(prisma: PrismaClient, options: ExpiryOptions): Promise<string[]> {
  const now = options.now ?? new Date();
  const target = options.targetKey ? { targetKey: options.targetKey } : {};
  // At most one run waits per target (createRun's lock): this is one row per waiting target.
  const waitingRuns = await prisma.troubleshootingRun.findMany({
    where: { ...target, status: "awaiting_approval", actions: { some: { status: "pending_approval" } } },
    select: { id: true, config: true },
    take: 1_000,
  });
  for (const { id: runId, config } of waitingRuns) {
    const expiryMinutes = runExpiryMinutes(config, options.expiryMinutes);
    const cutoff = now.getTime() - expiryMinutes * 60_000;
    const pending = await prisma.fixAction.findMany({ where: { runId, status: "pending_approval" }, select: { id: true, code: true, updatedAt: true } });
    if (!pending.some((a) => a.updatedAt.getTime() < cutoff)) continue;
    for (const action of pending) {
      const waited = Math.round((now.getTime() - action.updatedAt.getTime()) / 60_000);
      const note = `approval expired: no decision within ${expiryMinutes} minutes`;
      const decided = await prisma.fixAction.updateMany({
        where: { id: action.id, status: "pending_approval", run: { status: "awaiting_approval" } },
        data: { status: "rejected", decidedById: null, decidedByEmail: EXPIRED_BY, decidedAt: now, decisionNote: note },
      });
      if (decided.count === 0) continue; // decided or cancelled meanwhile, or expired by another process
      await prisma.auditLog.create({
        data: { actorId: null, actorEmail: EXPIRED_BY, action: "fix.expired", targetType: "fix_action", targetId: action.id, detail: { runId, code: action.code, waitedMinutes: waited, expiryMinutes } },
      });
      await appendEvent(prisma, runId, "resolution", "action_decided", { actionId: action.id, code: action.code, decision: "reject", by: EXPIRED_BY, expired: true, comment: note });
    }
  }
  const toResume = await prisma.troubleshootingRun.findMany({
    where: { ...target, status: "awaiting_approval", actions: { some: { decidedByEmail: EXPIRED_BY }, none: { status: "pending_approval" } } },
    select: { id: true },
    take: 100,
  });
  return toResume.map((r) => r.id);
}

/** The approval expiry a run was created with (its config's approvalExpiryMinutes: the
 * APPROVAL_EXPIRY_MINUTES of the process that created it), so that the deadline it announced holds
 * whoever sweeps; `fallback` for a run created before the expiry was recorded with it. */
export function runExpiryMinutes(config: unknown, fallback: number): number {
  return z.object({ approvalExpiryMinutes: z.number().int().positive() }).safeParse(config).data?.approvalExpiryMinutes ?? fallback;
}

/** Whether a run's approvals expired (any of its actions was rejected as expired). */
export async function approvalsExpired(prisma: PrismaClient, runId: string): Promise<boolean> {
  return (await prisma.fixAction.count({ where: { runId, decidedByEmail: EXPIRED_BY } })) > 0;
}
