// Alerts: raised when a troubleshooting run ends (failed, critical issues left, a low or falling
// health score) and when fix actions wait too long for approval; stored, deduplicated, and POSTed
// to ALERT_WEBHOOK_URL (Slack or generic JSON) when one is configured.
import type { PrismaClient } from "../../db";
import { previousComparableRun, scopeKey, scopeOf } from "../../troubleshooting/queries/comparable";
import { raiseAlerts } from "./raise";
import { runAlertCandidates } from "./rules";
import type { AlertSettings } from "./settings";

export { sweepApprovalAlerts } from "./approval";
export { postWebhook, webhookBody, type DeliveryOutcome } from "./deliver";
export { raiseAlerts, type RaiseResult } from "./raise";
export { ALERT_KINDS, approvalCandidate, runAlertCandidates, type AlertCandidate, type AlertKind, type AlertSeverity } from "./rules";
export { DEFAULT_DELIVERY, STORED_ONLY_ALERTS, alertSettingsFrom, type AlertSettings, type DeliverySettings } from "./settings";
export { listAlerts, type AlertListItem } from "./store";

/** Raises the alerts an ended run calls for (called once per run end, see run-ended.ts). */
export async function raiseRunAlerts(prisma: PrismaClient, runId: string, settings: AlertSettings): Promise<void> {
  const run = await prisma.troubleshootingRun.findUnique({
    where: { id: runId },
    select: {
      id: true, status: true, statusReason: true, healthScoreAfter: true, targetKey: true, target: true, startedAt: true, config: true,
      issues: { select: { code: true, severity: true, title: true, status: true } },
    },
  });
  if (!run) return;
  // The score drop compares like with like: the latest completed run before this one on the same
  // target that checked the same domains (a web-only run's score is not a full run's).
  const previous = await previousComparableRun(prisma, run);
  const scope = scopeKey(scopeOf(run.config));
  await raiseAlerts(prisma, runAlertCandidates({ ...run, scope }, previous && { ...previous, targetKey: run.targetKey, scope }, settings), settings);
}
