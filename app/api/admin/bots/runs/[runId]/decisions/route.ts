import { after } from "next/server";
import { readJson } from "@/lib/api/request";
import { withAdmin } from "@/lib/auth/guard";
import { decisionSchema, parseRunId } from "@/lib/troubleshooting/runs/api-schemas";
import { getEngine } from "@/lib/troubleshooting/workflow/engine";
import { decideAction } from "@/lib/troubleshooting/runs/run-control";
import { resumeRun } from "@/lib/troubleshooting/runs/run-service";

export const dynamic = "force-dynamic";
export const maxDuration = 300;

/** Approve or reject one pending fix; the last decision resumes the run. */
export const POST = withAdmin<{ runId: string }>(async (req, { params, admin }) => {
  const runId = await parseRunId(params);
  const body = await readJson(req, decisionSchema);
  const engine = await getEngine();
  const { resume } = await decideAction(engine, runId, admin, body);
  if (resume) after(() => resumeRun(engine, runId));
  return Response.json({ actionId: body.actionId, decision: body.decision, resumed: resume });
});
