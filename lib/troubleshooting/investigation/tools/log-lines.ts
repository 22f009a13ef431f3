// Log lines as the model sees them: short, scrubbed of secrets, with their structured data as
// compact JSON text.
import { z } from "zod";
import { scrub, scrubString } from "../../../monitoring/redact";

/** The arguments of both log tools (platform_logs, run_logs): a lowest level and a line count. */
export const logArgs = z
  .object({
    level: z.enum(["error", "warn", "info"]).optional().describe("the lowest level returned (default info: everything kept)"),
    limit: z.number().int().min(1).max(100).optional().describe("lines returned at most, newest first (default 50)"),
  })
  .strict();

/** Characters kept of a message, and of its data's JSON text. */
const MESSAGE_MAX = 300;
const DATA_MAX = 300;

export interface LogLine {
  at: string | null;
  level: string;
  msg: string;
  component: string | null;
  runId: string | null;
  /** The line's other fields as JSON text (scrubbed, at most DATA_MAX characters), or null. */
  data: string | null;
}

const cut = (text: string, max: number) => (text.length > max ? `${text.slice(0, max)}…` : text);

export function logLine(entry: { at?: Date | string | null; level: string | number; msg?: string | null; component?: string | null; runId?: string | null; data?: unknown }): LogLine {
  const at = entry.at == null ? null : new Date(entry.at);
  const data = entry.data == null || (typeof entry.data === "object" && Object.keys(entry.data).length === 0) ? null : JSON.stringify(scrub(entry.data));
  return {
    at: at && !Number.isNaN(at.getTime()) ? at.toISOString() : null,
    level: String(entry.level),
    msg: cut(scrubString(entry.msg ?? ""), MESSAGE_MAX),
    component: entry.component ?? null,
    runId: entry.runId ?? null,
    data: data ? cut(data, DATA_MAX) : null,
  };
}
