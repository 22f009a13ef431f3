// What happens once a run has ended, however it ended (completed, failed, cancelled,
// interrupted): its figures join the history, its errors are tracked and its alerts raised.
// Each step is separate, so one that fails (and is logged) does not stop the others.
import type { PrismaClient } from "../../db";
import { type AlertSettings, STORED_ONLY_ALERTS, raiseRunAlerts } from "../../monitoring/alerts";
import { trackRunErrors } from "../../monitoring/errors";
import { joinIssueGroups } from "../../issues/after-run";
import { withLogContext } from "../../monitoring/log-context";
import { logger } from "../../monitoring/logger";
import { isFinalRun } from "../report";
import { rollUpEndedRuns } from "../queries/rollup";
import { recordCheckSamples } from "../deploys/check-samples";

/** `alerts`: the add-on's alert settings (default: stored, never sent). */
export function afterRunEnded(prisma: PrismaClient, runId: string, alerts: AlertSettings = STORED_ONLY_ALERTS): Promise<void> {
  // Issues join their groups first: the rollup counts each group's runs per day, and a regression
  // alerts from there, before the run's own alerts.
  const steps = { joinIssueGroups: (p: PrismaClient, id: string) => joinIssueGroups(p, id, alerts), rollUpEndedRuns, trackRunErrors, raiseRunAlerts: (p: PrismaClient, id: string) => raiseRunAlerts(p, id, alerts), recordCheckSamples };
  return withLogContext({ runId }, async () => {
    const run = await prisma.troubleshootingRun.findUnique({
      where: { id: runId },
      select: { status: true, statusReason: true, trigger: true, durationMs: true, healthScoreBefore: true, healthScoreAfter: true, _count: { select: { issues: true } } },
    });
    if (run) {
      const { _count, ...fields } = run;
      logger()[run.status === "failed" ? "warn" : "info"]({ component: "engine", ...fields, issues: _count.issues }, "run ended");
      // An interrupted run may still be resumed: it joins the history, and its errors and alerts
      // are judged, when it really ends.
      if (!isFinalRun(run.status)) return;
    }
    for (const [name, step] of Object.entries(steps)) {
      try {
        await step(prisma, runId);
      } catch (err) {
        logger().warn({ component: "run-ended", step: name, error: err instanceof Error ? err.name : "error" }, "after-run step failed");
      }
    }
  });
}
