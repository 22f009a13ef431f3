// "Since deploy X": which of a run's issues first appeared right after a deploy. A run is "after a
// deploy" when the build id it saw differs from the one the latest earlier run on its target saw;
// an issue of it is "since" that deploy when no earlier run on the target found the same check on
// the same subject (code, evidence->>'subject'). Read from the runs and Issue rows themselves.
import type { PrismaClient } from "../../db";

export interface RunDeploy {
  /** The build the run saw; null: not visible on the target's page (or the page did not answer). */
  buildId: string | null;
  /** The build the latest earlier run on the target saw; null: none did (no deploy can be told). */
  previousBuildId: string | null;
  deploymentId: string | null;
  deploymentUrl: string | null;
  commitSha: string | null;
  commitMessage: string | null;
  /** True when the two builds differ: a deploy happened between the runs. */
  afterDeploy: boolean;
  /** The run's issues that no earlier run on its target saw (only when afterDeploy). */
  newIssueIds: string[];
}

/** The run's deploy and its new issues; null for an unknown run. */
export async function runDeploy(prisma: PrismaClient, runId: string): Promise<RunDeploy | null> {
  const run = await prisma.troubleshootingRun.findUnique({
    where: { id: runId },
    select: { targetKey: true, startedAt: true, buildId: true, deploymentId: true, deploymentUrl: true, commitSha: true, commitMessage: true },
  });
  if (!run) return null;
  const previous = await prisma.troubleshootingRun.findFirst({
    where: { targetKey: run.targetKey, startedAt: { lt: run.startedAt }, buildId: { not: null } },
    orderBy: { startedAt: "desc" },
    select: { buildId: true },
  });
  const { targetKey, startedAt, ...deploy } = run;
  const previousBuildId = previous?.buildId ?? null;
  const afterDeploy = run.buildId !== null && previousBuildId !== null && run.buildId !== previousBuildId;
  const newIssueIds = afterDeploy
    ? (
        await prisma.$queryRaw<{ id: string }[]>`
          SELECT i.id FROM troubleshooter."Issue" i
          WHERE i."runId" = ${runId} AND NOT EXISTS (
            SELECT 1 FROM troubleshooter."TroubleshootingRun" e
            JOIN troubleshooter."Issue" j ON j."runId" = e.id
            WHERE e."targetKey" = ${targetKey} AND e."startedAt" < ${startedAt}
              AND j.code = i.code AND coalesce(j.evidence->>'subject', '') = coalesce(i.evidence->>'subject', ''))
          ORDER BY i.id`
      ).map((r) => r.id)
    : [];
  return { ...deploy, previousBuildId, afterDeploy, newIssueIds };
}
