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

/** One destination's outcome for an alert (AlertDelivery), without any URL. */
export interface AlertDeliveryItem {
  destination: string;
  host: string;
  status: string;
  attempts: number;
  httpStatus: number | null;
  error: string | null;
}

/** The newest alerts with each destination's delivery, for the alerts and monitoring pages. */
export async function listAlerts(prisma: PrismaClient, options: { limit?: number } = {}) {
  const alerts = await prisma.alert.findMany({
    orderBy: { createdAt: "desc" },
    take: Math.min(Math.max(options.limit ?? 50, 1), 500),
    select: {
      id: true, kind: true, severity: true, title: true, message: true, runId: true,
      createdAt: true, status: true, attempts: true, repeats: true, lastError: true,
    },
  });
  const rows = alerts.length
    ? await prisma.alertDelivery.findMany({
        where: { alertId: { in: alerts.map((a) => a.id) } },
        orderBy: { destination: "asc" },
        select: { alertId: true, destination: true, host: true, status: true, attempts: true, httpStatus: true, error: true },
      })
    : [];
  const byAlert = new Map<string, AlertDeliveryItem[]>();
  for (const { alertId, ...d } of rows) if (alertId) byAlert.set(alertId, [...(byAlert.get(alertId) ?? []), d]);
  return alerts.map((a) => ({ ...a, deliveries: byAlert.get(a.id) ?? [] }));
}

export type AlertListItem = Awaited<ReturnType<typeof listAlerts>>[number];
