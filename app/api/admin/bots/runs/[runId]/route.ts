import { ApiError } from "@/lib/api/errors";
import { withAdmin } from "@/lib/auth/guard";
import { parseRunId } from "@/lib/troubleshooting/runs/api-schemas";
import { getEngine } from "@/lib/troubleshooting/workflow/engine";
import { buildReport } from "@/lib/troubleshooting/queries/report";

export const dynamic = "force-dynamic";

/** The run's report (partial while the run is in progress). */
export const GET = withAdmin<{ runId: string }>(async (_req, { params }) => {
  const runId = await parseRunId(params);
  const report = await buildReport((await getEngine()).deps.prisma, runId);
  if (!report) throw new ApiError(404, "not_found", "No such run.");
  return Response.json(report);
});
