// The run page's investigation as the event stream tells it (payloads parsed at this boundary:
// an event that does not fit the schema is ignored, never shown half-read).
import { investigationCompletedSchema, investigationStartedSchema, investigationToolCallEventSchema } from "../../../troubleshooting/investigation/schema";
import type { LiveInvestigation } from "../../../troubleshooting/investigation-view";

/** `live` after one investigation_* event (`type`, its `payload`); a replayed call (same id) once. */
export function followInvestigation(live: LiveInvestigation, type: string, payload: unknown): LiveInvestigation {
  if (type === "investigation_started") {
    const started = investigationStartedSchema.safeParse(payload);
    return started.success ? { ...live, started: started.data } : live;
  }
  if (type === "investigation_tool_call") {
    const call = investigationToolCallEventSchema.safeParse(payload);
    if (!call.success || live.calls.some((c) => c.id === call.data.id)) return live;
    return { ...live, calls: [...live.calls, call.data] };
  }
  if (type === "investigation_completed") {
    const record = investigationCompletedSchema.safeParse(payload);
    return record.success ? { ...live, completed: record.data } : live;
  }
  return live;
}
