import { withAdmin } from "@/lib/auth/guard";
import { parseRunId } from "@/lib/troubleshooting/runs/api-schemas";
import { getEngine } from "@/lib/troubleshooting/workflow/engine";
import { cancelRun } from "@/lib/troubleshooting/runs/run-control";

export const dynamic = "force-dynamic";

/** Cancels an active run: at once when it waits for approvals, else at its next node. */
export const POST = withAdmin<{ runId: string }>(async (_req, { params, admin }) => {
  const runId = await parseRunId(params);
  await cancelRun(await getEngine(), runId, admin);
  return Response.json({ runId, cancelRequested: true }, { status: 202 });
});
