import { ExponentialBackoff, handleWhen, retry } from "cockatiel";
import { z } from "zod";
import type { FixActionDef } from "../../catalogue";
import { describeHttpError } from "../../probes/http";
import { createFetcher } from "../../site/fetcher";
import { isTargetUrl } from "../web/same-origin";
import { persists } from "../effect";

const params = z.object({
  url: z.url(),
  attempts: z.number().int().min(1).max(8),
  /** Each attempt's limit (ms); left out, the 5 s of the ladder. */
  timeoutMs: z.number().int().min(100).max(10_000).optional(),
  /** Diagnosis already waited this long (ms) for an answer that never came. */
  hungForMs: z.number().int().min(0).optional(),
});
type Params = z.infer<typeof params>;
const ATTEMPTS = 5;
const ATTEMPT_TIMEOUT_MS = 5_000;
/** One look at an endpoint diagnosis saw hang: an endpoint that answers at all answers its
 * headers well within this; one that hangs is not waited on for the ladder's ~30 s again. */
export const HUNG_REPROBE_TIMEOUT_MS = 1_000;

/** The ladder for failures that can pass on their own (server errors, refusals); ONE short look
 * for an endpoint diagnosis saw hang (a sample timed out): waiting 5 s five times over tells no
 * more than diagnosis' own wait did, and kept the admin waiting for the report. */
function planFor(url: string, evidence: Record<string, unknown>): Params {
  const samples = Array.isArray(evidence.samples) ? (evidence.samples as { timedOut?: unknown }[]) : [];
  if (!samples.some((s) => s?.timedOut === true)) return { url, attempts: ATTEMPTS };
  const waited = typeof evidence.timeoutMs === "number" ? Math.round(evidence.timeoutMs) : ATTEMPT_TIMEOUT_MS;
  return { url, attempts: 1, timeoutMs: HUNG_REPROBE_TIMEOUT_MS, hungForMs: waited };
}

class StillFailing extends Error {}

/** Re-probes a failing endpoint with exponential backoff (0.25 s, 0.5 s, 1 s, 2 s): a failure
 * that passes on its own closes after verification re-runs the check; one that does not is
 * reported as persistent. Read-only GETs: safe. */
export const netReprobeTransient: FixActionDef<Params> = {
  code: "net.reprobe_transient",
  domain: "network",
  title: "Re-probe to tell a transient failure from a persistent one",
  description: "Requests the endpoint again with exponential backoff until it answers without a server error, or the attempts run out.",
  addresses: ["net.endpoint_down", "net.endpoint_errors", "net.timeouts"],
  risk: "safe",
  params,
  plan: (issue) => {
    const url = typeof issue.evidence.url === "string" ? issue.evidence.url : null;
    const statuses = Array.isArray(issue.evidence.statuses) ? (issue.evidence.statuses as number[]) : null;
    // A wrong but steady status (a 404) is not transient; server errors, timeouts and refusals can be.
    if (!url || (issue.code === "net.endpoint_errors" && !statuses?.some((s) => s >= 500))) return null;
    return planFor(url, issue.evidence);
  },
  describe: (p) =>
    p.hungForMs !== undefined
      ? `GET ${p.url} once, waiting at most ${seconds(p.timeoutMs ?? ATTEMPT_TIMEOUT_MS)} for the headers (diagnosis already waited ${seconds(p.hungForMs)} without an answer).`
      : `GET ${p.url} up to ${p.attempts} times with exponential backoff (0.25 s doubling, at most 4 s apart).`,
  async apply(p, { target, signal, credentials }) {
    if (!isTargetUrl(target, p.url)) return { ok: false, detail: "refused: the URL is not the target's" };
    const fetcher = createFetcher(signal, credentials, target.caCertificates ?? null);
    const tried: string[] = [];
    const policy = retry(handleWhen((err) => err instanceof StillFailing), {
      maxAttempts: p.attempts - 1, // retries after the first attempt: 0 for one look
      backoff: new ExponentialBackoff({ initialDelay: 250, maxDelay: 4_000, exponent: 2 }),
    });
    try {
      const status = await policy.execute(async () => {
        let outcome: string;
        try {
          const res = await fetcher.get(p.url, { readBody: false, retry: false, timeoutMs: p.timeoutMs ?? ATTEMPT_TIMEOUT_MS });
          outcome = String(res.status);
          tried.push(outcome);
          if (res.status < 500) return res.status;
        } catch (err) {
          outcome = describeHttpError(err);
          tried.push(outcome);
        }
        throw new StillFailing(outcome);
      }, signal);
      return { ok: true, detail: `answered ${status} after ${tried.length} attempt${tried.length === 1 ? "" : "s"} (${tried.join(", ")}): transient` };
    } catch (err) {
      if (!(err instanceof StillFailing)) throw err;
      if (p.hungForMs !== undefined && tried.every((t) => t === "timed out")) {
        return persists(`no answer within ${seconds(p.timeoutMs ?? ATTEMPT_TIMEOUT_MS)} (diagnosis waited ${seconds(p.hungForMs)}): still hanging as diagnosed, persistent`);
      }
      return persists(`still failing after ${tried.length} attempts (${tried.join(", ")}): persistent`);
    }
  },
};

const seconds = (ms: number) => `${Number((ms / 1000).toFixed(1))} s`;
