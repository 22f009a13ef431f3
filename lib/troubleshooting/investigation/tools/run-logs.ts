// This add-on's own log lines for the run being investigated (the LogEntry rows pino wrote with
// its runId), newest first: what the bots did, what failed or was skipped, in their words.
import { z } from "zod";
import { queryLogs } from "../../../monitoring/log-store";
import { logArgs, logLine } from "./log-lines";
import type { InvestigationTool } from "./tool";

export const runLogs: InvestigationTool<z.output<typeof logArgs>> = {
  name: "run_logs",
  description:
    "Troubleshooter's own log lines for this run, newest first (time, level, message, component, data; secrets scrubbed): which checks failed, timed out or were skipped and why. Use it when a finding looks odd or a check errored.",
  args: logArgs,
  async run({ level, limit }, ctx) {
    const rows = await queryLogs(ctx.prisma, { level: level ?? "info", runId: ctx.runId, limit: limit ?? 50 });
    return { runId: ctx.runId, count: rows.length, lines: rows.map((r) => logLine({ ...r, runId: null })) };
  },
};
