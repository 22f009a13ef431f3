import { NotFoundView } from "../components/not-found-view";
import { RunLive } from "../components/run/run-live";
import type { PrismaClient } from "../../db";
import { runIdSchema } from "../../troubleshooting/runs/api-schemas";
import { buildReport } from "../../troubleshooting/queries/report";
import { runProgress } from "../../troubleshooting/queries/progress";
import { investigationSoFar } from "../../troubleshooting/queries/investigation-events";

/** Rendered with the run's current state, then kept live by the event stream. An unknown run
 * renders the add-on's not-found view (its navigation stays). */
export async function RunPage({ prisma, runId }: { prisma: PrismaClient; runId: string }) {
  const parsed = runIdSchema.safeParse(runId);
  if (!parsed.success) return <NotFoundView what="run" />;
  const [report, { progress, lastSeq }, run] = await Promise.all([
    buildReport(prisma, parsed.data),
    runProgress(prisma, parsed.data),
    prisma.troubleshootingRun.findUnique({ where: { id: parsed.data }, select: { cancelledBy: true } }),
  ]);
  if (!report) return <NotFoundView what="run" />;
  // Read after lastSeq: the calls up to the event the stream starts after, none missed or twice.
  // An ended investigation's record has every call: no events to read.
  const ended = report.investigation && report.investigation.status !== "running";
  const investigation = ended ? undefined : await investigationSoFar(prisma, parsed.data, lastSeq);
  return <RunLive initial={report} initialProgress={progress} lastSeq={lastSeq} cancelledBy={run?.cancelledBy ?? null} initialInvestigation={investigation} />;
}
