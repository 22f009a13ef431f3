// Raising = recording each candidate (deduplicated), then delivering the new ones. Delivery runs
// after the dedupe transaction so the advisory lock is never held across network calls.
import type { PrismaClient } from "../../db";
import { deliverAlert } from "./deliver";
import type { AlertCandidate } from "./rules";
import type { AlertSettings } from "./settings";
import { recordAlert } from "./store";

export interface RaiseResult {
  /** New alerts stored (and delivered, when a webhook is configured). */
  raised: number;
  /** Candidates folded into an earlier alert within the dedupe window. */
  repeated: number;
}

export async function raiseAlerts(prisma: PrismaClient, candidates: AlertCandidate[], settings: AlertSettings, now = new Date()): Promise<RaiseResult> {
  const fresh = [];
  for (const candidate of candidates) {
    const alert = await recordAlert(prisma, candidate, settings.dedupeMinutes, now);
    if (alert) fresh.push(alert);
  }
  // In parallel: one slow delivery (retrying with backoff) does not hold the others back.
  await Promise.all(fresh.map((alert) => deliverAlert(prisma, alert, settings)));
  return { raised: fresh.length, repeated: candidates.length - fresh.length };
}
