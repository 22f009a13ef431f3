import { after } from "next/server";
import { readJson, readQuery } from "@/lib/api/request";
import { withAdmin } from "@/lib/auth/guard";
import { listRunsSchema, startRunSchema } from "@/lib/troubleshooting/runs/api-schemas";
import { getEngine } from "@/lib/troubleshooting/workflow/engine";
import { listRuns } from "@/lib/troubleshooting/queries/runs";
import { createRun, defaultTarget, executeRun } from "@/lib/troubleshooting/runs/run-service";

export const dynamic = "force-dynamic";
export const maxDuration = 300;

/** Starts a run: 202 with its id at once; the run goes on after the response. 409 if one is active. */
export const POST = withAdmin(async (req, { admin }) => {
  const body = await readJson(req, startRunSchema);
  const engine = await getEngine();
  const { runId, config } = await createRun(engine, { ...body, requestedById: admin.id }, defaultTarget());
  after(() => executeRun(engine, runId, config));
  return Response.json({ runId }, { status: 202, headers: { Location: `/api/admin/bots/runs/${runId}` } });
});

export const GET = withAdmin(async (req) => {
  const engine = await getEngine();
  return Response.json(await listRuns(engine.deps.prisma, readQuery(req, listRunsSchema)));
});
