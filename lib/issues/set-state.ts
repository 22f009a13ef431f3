// An admin sets an issue's state: acknowledge, snooze until a time, ignore with a reason, resolve,
// reopen. Validated here (422 naming the field), audited with the admin's e-mail.
import { z } from "zod";
import type { PrismaClient } from "../db";
import type { IssueState } from "./states";

export const REASON_MAX = 500;

/** The body of POST /issues/:id/state. `until` must be in the future when it is read (at `now`). */
export function stateChangeSchema(now: () => Date = () => new Date()) {
  return z
    .strictObject({
      state: z.enum(["acknowledged", "snoozed", "ignored", "resolved", "open"], { error: "must be acknowledged, snoozed, ignored, resolved or open" }),
      until: z.iso.datetime({ offset: true, error: "must be an ISO 8601 date-time (with Z or an offset)" }).optional(),
      reason: z.string().trim().max(REASON_MAX, `at most ${REASON_MAX} characters`).optional(),
    })
    .superRefine((body, ctx) => {
      if (body.state === "snoozed") {
        if (!body.until) ctx.addIssue({ code: "custom", path: ["until"], message: "required to snooze: until when" });
        else if (new Date(body.until).getTime() <= now().getTime()) ctx.addIssue({ code: "custom", path: ["until"], message: "must be in the future" });
      }
      if (body.state === "ignored" && !body.reason) ctx.addIssue({ code: "custom", path: ["reason"], message: "required to ignore: why" });
    });
}
export type StateChange = z.output<ReturnType<typeof stateChangeSchema>>;

/** Applies `change` to group `id` for `admin`; null when there is no such group. Returns the state
 * it had and the one it has. */
export async function setIssueState(
  prisma: PrismaClient,
  id: string,
  admin: { id: string; email: string },
  change: StateChange,
  now = new Date(),
): Promise<{ from: string; to: IssueState } | null> {
  return prisma.$transaction(async (tx) => {
    const group = await tx.issueGroup.findUnique({ where: { id }, select: { state: true } });
    if (!group) return null;
    const to = change.state;
    await tx.issueGroup.update({
      where: { id },
      data: {
        state: to,
        snoozedUntil: to === "snoozed" && change.until ? new Date(change.until) : null,
        ignoredReason: to === "ignored" ? (change.reason ?? null) : null,
        stateById: admin.id,
        stateByEmail: admin.email,
        stateAt: now,
        // A regression is over once it is resolved again.
        ...(to === "resolved" ? { regressedAt: null } : {}),
      },
    });
    await tx.auditLog.create({
      data: {
        actorId: admin.id,
        actorEmail: admin.email,
        action: "issue.state",
        targetType: "issue",
        targetId: id,
        detail: { from: group.state, to, ...(change.until && to === "snoozed" ? { until: change.until } : {}), ...(change.reason ? { reason: change.reason } : {}) },
      },
    });
    return { from: group.state, to };
  });
}
