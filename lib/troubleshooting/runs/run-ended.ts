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

type Step = (prisma: PrismaClient, runId: string) => Promise<unknown>;

/** After-run steps put off by deferAfterRunSteps, not started yet. */
const deferred: (() => Promise<void>)[] = [];
let deferring = false;

/**
 * For a process that answers for a run before its after-run steps are done, and stays up until
 * they are (the resident CLI's run worker, which hands the client its report and exit code
 * first): from now on afterRunEnded logs the run's end, joins its issues to their groups (the
 * report shows them) and returns; the other steps wait for runDeferredAfterRunSteps, which
 * `AddonContext.close()` calls before it closes the pools. Not started before: on the process's
 * one thread they would hold up the answer.
 */
export function deferAfterRunSteps(): void {
  deferring = true;
}

/** Runs the after-run steps deferred so far, one run after the other, as afterRunEnded would have. */
export async function runDeferredAfterRunSteps(): Promise<void> {
  for (let steps = deferred.shift(); steps; steps = deferred.shift()) await steps();
}

/** `alerts`: the add-on's alert settings (default: stored, never sent). */
export function afterRunEnded(prisma: PrismaClient, runId: string, alerts: AlertSettings = STORED_ONLY_ALERTS): Promise<void> {
  // Issues join their groups first: the rollup counts each group's runs per day, and a regression
  // alerts from there, before the run's own alerts. The other steps are independent of each
  // other (each reads the ended run and writes rows of its own), so they run together.
  const first: Record<string, Step> = { joinIssueGroups: (p, id) => joinIssueGroups(p, id, alerts) };
  const then: Record<string, Step> = { rollUpEndedRuns, trackRunErrors, raiseRunAlerts: (p, id) => raiseRunAlerts(p, id, alerts), recordCheckSamples };
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
    await runSteps(prisma, runId, first);
    if (!deferring) return runSteps(prisma, runId, then);
    deferred.push(() => withLogContext({ runId }, () => runSteps(prisma, runId, then)));
  });
}

/** Runs `steps` together; one that fails is logged and does not stop the others. */
async function runSteps(prisma: PrismaClient, runId: string, steps: Record<string, Step>): Promise<void> {
  await Promise.all(
    Object.entries(steps).map(([name, step]) =>
      step(prisma, runId).catch((err: unknown) => {
        logger().warn({ component: "run-ended", step: name, error: err instanceof Error ? err.name : "error" }, "after-run step failed");
      }),
    ),
  );
}
