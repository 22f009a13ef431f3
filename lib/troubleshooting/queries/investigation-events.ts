// The investigation of a run still going on, from its stored events: what the run page renders on
// the server before it follows the event stream (which starts after `uptoSeq`: no call twice).
import type { PrismaClient } from "../../db";
import { investigationStartedSchema, investigationToolCallEventSchema } from "../investigation/schema";
import type { LiveInvestigation } from "../investigation-view";

/** The investigation_started and investigation_tool_call events up to `uptoSeq` (the last event
 * the page renders); payloads that do not parse are left out. */
export async function investigationSoFar(prisma: PrismaClient, runId: string, uptoSeq: number): Promise<LiveInvestigation> {
  const events = await prisma.runEvent.findMany({
    where: { runId, seq: { lte: uptoSeq }, type: { in: ["investigation_started", "investigation_tool_call"] } },
    orderBy: { seq: "asc" },
    select: { type: true, payload: true },
  });
  const live: LiveInvestigation = { started: null, calls: [] };
  for (const event of events) {
    if (event.type === "investigation_started") {
      const started = investigationStartedSchema.safeParse(event.payload);
      if (started.success) live.started = started.data;
    } else {
      const call = investigationToolCallEventSchema.safeParse(event.payload);
      if (call.success) live.calls.push(call.data);
    }
  }
  return live;
}
