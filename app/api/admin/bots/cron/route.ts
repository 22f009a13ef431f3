import { after } from "next/server";
import { jsonError } from "@/lib/api/errors";
import { hasBearer } from "@/lib/auth/bearer";
import { withCorrelation } from "@/lib/auth/guard";
import { db } from "@/lib/db";
import { env } from "@/lib/env";
import { runMaintenance } from "@/lib/monitoring/maintenance";
import { getEngine } from "@/lib/troubleshooting/workflow/engine";
import { startScheduledRun } from "@/lib/troubleshooting/runs/scheduled-run";

export const dynamic = "force-dynamic";
export const maxDuration = 300;

/** Vercel Cron (vercel.json): `Authorization: Bearer $CRON_SECRET`, anything else is 401. Starts
 * a run with trigger "cron" unless one is active on the target, and runs maintenance beside it. */
export const GET = withCorrelation(async (req: Request): Promise<Response> => {
  if (!hasBearer(req, env().CRON_SECRET)) return jsonError(401, "unauthenticated", "A valid cron secret is required.");
  const engine = await getEngine();
  const result = await startScheduledRun(engine);
  // Side by side: a run that uses up maxDuration must not starve the maintenance.
  after(() => Promise.all([result.started ? result.execute() : null, runMaintenance(db(), { prune: true })]));
  return Response.json({ started: result.started, runId: result.runId }, { status: result.started ? 202 : 200 });
});
