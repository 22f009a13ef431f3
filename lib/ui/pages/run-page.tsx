import { notFound } from "next/navigation";
import { RunLive } from "../components/run/run-live";
import type { PrismaClient } from "../../db";
import { runIdSchema } from "../../troubleshooting/runs/api-schemas";
import { buildReport } from "../../troubleshooting/queries/report";
import { runProgress } from "../../troubleshooting/queries/progress";

/** Rendered with the run's current state, then kept live by the event stream. */
export async function RunPage({ prisma, runId }: { prisma: PrismaClient; runId: string }) {
  const parsed = runIdSchema.safeParse(runId);
  if (!parsed.success) notFound();
  const [report, { progress, lastSeq }] = await Promise.all([buildReport(prisma, parsed.data), runProgress(prisma, parsed.data)]);
  if (!report) notFound();
  return <RunLive initial={report} initialProgress={progress} lastSeq={lastSeq} />;
}
