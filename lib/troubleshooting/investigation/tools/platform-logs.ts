// The target platform's recent log lines through its GET /api/admin/bots/logs (the original
// system's contract, which this add-on serves too: README's API section), with the run's
// credentials (sent only to the target's origin over verified https). The answer is parsed
// leniently and summarised, never echoed.
import { z } from "zod";
import { describeHttpError, httpGet } from "../../probes/http";
import { credentialHeaders } from "../../site/credentials";
import { logArgs, logLine } from "./log-lines";
import type { InvestigationTool } from "./tool";

export const PLATFORM_LOGS_PATH = "/api/admin/bots/logs";

// Lenient: the fields this tool shows, whatever else an entry has.
const answerSchema = z.object({
  entries: z.array(
    z.object({
      at: z.string().max(64).nullish(),
      level: z.union([z.string().max(16), z.number()]),
      msg: z.string().nullish(),
      component: z.string().max(100).nullish(),
      runId: z.string().max(100).nullish(),
      data: z.unknown().optional(),
    }),
  ),
});

export const platformLogs: InvestigationTool<z.output<typeof logArgs>> = {
  name: "platform_logs",
  description:
    "The target platform's own recent log lines (GET /api/admin/bots/logs on its origin, with this run's credentials), newest first: time, level, message, component, runId, data (secrets scrubbed). Use it to find server-side errors behind failing pages or endpoints.",
  args: logArgs,
  async run({ level, limit }, ctx) {
    const url = new URL(PLATFORM_LOGS_PATH, ctx.target.baseUrl);
    if (level) url.searchParams.set("level", level);
    url.searchParams.set("limit", String(limit ?? 50));
    let answer: { status: number; json: unknown };
    try {
      // Not followed: a redirect (to a sign-in page, or elsewhere) is reported as the status.
      const res = await httpGet(url.toString(), ctx.signal, {
        retry: false,
        followRedirects: false,
        ca: ctx.target.caCertificates ?? null,
        headers: { accept: "application/json", ...credentialHeaders(ctx.credentials, url.toString()) },
      });
      answer = { status: res.status, json: parseJson(res.body) };
    } catch (err) {
      throw new Error(`the target's ${PLATFORM_LOGS_PATH} did not answer (${describeHttpError(err)})`);
    }
    if (answer.status === 401 || answer.status === 403 || answer.status === 404) {
      throw new Error(`the target does not expose its logs to this run's credentials (${PLATFORM_LOGS_PATH} answered ${answer.status})`);
    }
    if (answer.status !== 200) throw new Error(`the target's ${PLATFORM_LOGS_PATH} answered ${answer.status}`);
    const parsed = answerSchema.safeParse(answer.json);
    if (!parsed.success) throw new Error(`the target's ${PLATFORM_LOGS_PATH} answered in an unknown shape`);
    const lines = parsed.data.entries.slice(0, limit ?? 50).map((e) => logLine(e));
    return { path: PLATFORM_LOGS_PATH, count: lines.length, lines };
  },
};

function parseJson(text: string): unknown {
  try {
    return text ? JSON.parse(text) : null;
  } catch {
    return null;
  }
}
