import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { RunLive } from "../components/run/run-live";
import { db } from "../../db";
import { runIdSchema } from "../../troubleshooting/runs/api-schemas";
import { buildReport } from "../../troubleshooting/queries/report";
import { runProgress } from "../../troubleshooting/queries/progress";

export const metadata: Metadata = { title: "Troubleshooting run" };

/** Rendered with the run's current state, then kept live by the event stream. */
export default async function RunPage({ params }: { params: Promise<{ runId: string }> }) {
  const parsed = runIdSchema.safeParse((await params).runId);
  if (!parsed.success) notFound();
  const [report, { progress, lastSeq }] = await Promise.all([buildReport(db(), parsed.data), runProgress(db(), parsed.data)]);
  if (!report) notFound();
  return <RunLive initial={report} initialProgress={progress} lastSeq={lastSeq} />;
}
