import { withAdmin } from "@/lib/auth/guard";
import { parseRunId } from "@/lib/troubleshooting/api-schemas";
import { getEngine } from "@/lib/troubleshooting/engine";
import { cancelRun } from "@/lib/troubleshooting/run-control";

export const dynamic = "force-dynamic";

/** Cancels an active run: at once when it waits for approvals, else at its next node. */
export const POST = withAdmin<{ runId: string }>(async (_req, { params, admin }) => {
  const runId = await parseRunId(params);
  await cancelRun(await getEngine(), runId, admin);
  return Response.json({ runId, cancelRequested: true }, { status: 202 });
});
