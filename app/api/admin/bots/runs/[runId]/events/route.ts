import { z } from "zod";
import { ApiError } from "@/lib/api/errors";
import { SSE_HEADERS, runEventStream } from "@/lib/api/sse";
import { withAdmin } from "@/lib/auth/guard";
import { parseRunId } from "@/lib/troubleshooting/api-schemas";
import { getEngine } from "@/lib/troubleshooting/engine";

export const dynamic = "force-dynamic";
export const maxDuration = 300;

const lastEventId = z.coerce.number().int().min(0).catch(0);

/** Server-Sent Events (id = seq): replays after Last-Event-ID (or ?after=), then follows the run. */
export const GET = withAdmin<{ runId: string }>(async (req, { params }) => {
  const runId = await parseRunId(params);
  const { prisma } = (await getEngine()).deps;
  if (!(await prisma.troubleshootingRun.findUnique({ where: { id: runId }, select: { id: true } }))) {
    throw new ApiError(404, "not_found", "No such run.");
  }
  const afterSeq = lastEventId.parse(req.headers.get("last-event-id") ?? new URL(req.url).searchParams.get("after") ?? 0);
  return new Response(runEventStream(prisma, runId, { afterSeq, signal: req.signal }), { headers: SSE_HEADERS });
});
