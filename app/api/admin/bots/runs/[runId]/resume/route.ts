import { after } from "next/server";
import { withAdmin } from "@/lib/auth/guard";
import { parseRunId } from "@/lib/troubleshooting/runs/api-schemas";
import { getEngine } from "@/lib/troubleshooting/workflow/engine";
import { resumeInterruptedRun } from "@/lib/troubleshooting/runs/run-resume";

export const dynamic = "force-dynamic";
export const maxDuration = 300;

/** Resumes an interrupted run from its last checkpoint (409 unless it is interrupted). */
export const POST = withAdmin<{ runId: string }>(async (_req, { params, admin }) => {
  const runId = await parseRunId(params);
  const { status, execute } = await resumeInterruptedRun(await getEngine(), runId, admin);
  if (execute) after(execute);
  return Response.json({ runId, status }, { status: 202 });
});
