import { z } from "zod";
import { ApiError } from "@/lib/api/errors";
import { SSE_HEADERS, runEventStream } from "@/lib/api/sse";
import { withAdmin } from "@/lib/auth/guard";
import { parseRunId } from "@/lib/troubleshooting/runs/api-schemas";
import { getEngine } from "@/lib/troubleshooting/workflow/engine";

export const dynamic = "force-dynamic";
export const maxDuration = 300;

/** Where to resume: the Last-Event-ID header (a seq this route sent) or ?after=; anything else is
 * a 422 naming the field, not a silent replay from the start. */
const resumeFrom = z.object({ lastEventId: z.coerce.number({ error: "must be an event seq (a whole number)" }).int().min(0) });

/** Server-Sent Events (id = seq): replays after Last-Event-ID (or ?after=), then follows the run. */
export const GET = withAdmin<{ runId: string }>(async (req, { params }) => {
  const runId = await parseRunId(params);
  const { prisma } = (await getEngine()).deps;
  if (!(await prisma.troubleshootingRun.findUnique({ where: { id: runId }, select: { id: true } }))) {
    throw new ApiError(404, "not_found", "No such run.");
  }
  const { lastEventId: afterSeq } = resumeFrom.parse({ lastEventId: req.headers.get("last-event-id") ?? new URL(req.url).searchParams.get("after") ?? 0 });
  return new Response(runEventStream(prisma, runId, { afterSeq, signal: req.signal }), { headers: SSE_HEADERS });
});
