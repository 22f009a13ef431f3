// Stored alerts: recording with dedupe, and the list the monitoring page shows.
import type { PrismaClient } from "../../db";
import { scrubString } from "../redact";
import type { AlertToSend } from "./deliver";
import type { AlertCandidate } from "./rules";

/**
 * Stores a candidate unless the same dedupeKey was raised within the window, in which case the
 * earlier alert's repeats and lastSeenAt go up instead. The advisory lock on the key makes the
 * check-then-insert atomic when two runs end at once. Returns the new alert to deliver, or null.
 */
export async function recordAlert(prisma: PrismaClient, candidate: AlertCandidate, dedupeMinutes: number, now = new Date()): Promise<AlertToSend | null> {
  return prisma.$transaction(async (tx) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('troubleshooter'), hashtext(${candidate.dedupeKey}))`;
    if (dedupeMinutes > 0) {
      const since = new Date(now.getTime() - dedupeMinutes * 60_000);
      const earlier = await tx.alert.findFirst({
        where: { dedupeKey: candidate.dedupeKey, createdAt: { gte: since } },
        orderBy: { createdAt: "desc" },
        select: { id: true },
      });
      if (earlier) {
        await tx.alert.update({ where: { id: earlier.id }, data: { repeats: { increment: 1 }, lastSeenAt: now } });
        return null;
      }
    }
    // Titles and messages quote run reasons and issue titles: scrub them before they leave.
    return tx.alert.create({
      data: {
        kind: candidate.kind,
        severity: candidate.severity,
        dedupeKey: candidate.dedupeKey,
        title: scrubString(candidate.title).slice(0, 300),
        message: scrubString(candidate.message).slice(0, 2_000),
        runId: candidate.runId,
        status: "pending",
        createdAt: now,
        lastSeenAt: now,
      },
      select: { id: true, kind: true, severity: true, title: true, message: true, runId: true, createdAt: true },
    });
  });
}

/** The newest alerts, for the monitoring page. */
export async function listAlerts(prisma: PrismaClient, options: { limit?: number } = {}) {
  return prisma.alert.findMany({
    orderBy: { createdAt: "desc" },
    take: Math.min(Math.max(options.limit ?? 50, 1), 500),
    select: {
      id: true, kind: true, severity: true, title: true, message: true, runId: true,
      createdAt: true, status: true, attempts: true, repeats: true, lastError: true,
    },
  });
}

export type AlertListItem = Awaited<ReturnType<typeof listAlerts>>[number];
