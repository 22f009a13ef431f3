// Stores what a run saw of the target's deploy on its run row, early (in the assessment), so that a
// run cut off later still says which build it looked at.
import type { PrismaClient } from "../../db";
import type { Integrations } from "../workflow/integrations";
import { type DeploymentInfo, latestProductionDeployment } from "./vercel";

/** What the run row gets, and what could not be seen and why (for the run's events). */
export interface DeployRecord {
  buildId: string | null;
  deployment: DeploymentInfo | null;
  /** Why there is no deployment: no Vercel credentials, a stored target, or the API's failure. */
  deploymentNote: string | null;
}

const VERCEL_TIMEOUT_MS = 10_000;

/** Records `buildId` (null: not visible on the page) and, for the default target with Vercel
 * credentials, the production deployment. Never throws for Vercel's sake: a failed look-up is a
 * note. The environment's Vercel project is the default target's: a stored target has no project
 * of its own yet, so none is looked up for it. */
export async function recordDeploy(prisma: PrismaClient, runId: string, buildId: string | null, vercel: Integrations["vercel"]): Promise<DeployRecord> {
  const run = await prisma.troubleshootingRun.findUnique({ where: { id: runId }, select: { targetId: true, targetKey: true, startedAt: true } });
  let deployment: DeploymentInfo | null = null;
  let deploymentNote: string | null = null;
  if (!vercel) deploymentNote = "no Vercel credentials (VERCEL_TOKEN, VERCEL_PROJECT_ID)";
  else if (run?.targetId) deploymentNote = "the Vercel project configured is the default target's";
  else {
    const found = await latestProductionDeployment(vercel, AbortSignal.timeout(VERCEL_TIMEOUT_MS));
    if ("error" in found) deploymentNote = found.error;
    else if (!found.deployment) deploymentNote = "the Vercel project has no ready production deployment";
    else deployment = found.deployment;
  }
  if (run) {
    // Decided once, here, so the history finds deploys through an index instead of comparing every
    // run of its range with the run before it.
    const previous = buildId
      ? await prisma.troubleshootingRun.findFirst({
          where: { targetKey: run.targetKey, startedAt: { lt: run.startedAt }, buildId: { not: null } },
          orderBy: { startedAt: "desc" },
          select: { buildId: true },
        })
      : null;
    await prisma.troubleshootingRun.update({
      where: { id: runId },
      data: {
        buildId,
        previousBuildId: previous?.buildId ?? null,
        afterDeploy: Boolean(buildId && previous?.buildId && previous.buildId !== buildId),
        deploymentId: deployment?.deploymentId ?? null,
        deploymentUrl: deployment?.deploymentUrl ?? null,
        commitSha: deployment?.commitSha ?? null,
        commitMessage: deployment?.commitMessage ?? null,
      },
    });
  }
  return { buildId, deployment, deploymentNote };
}
