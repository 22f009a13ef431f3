import { ExponentialBackoff, handleWhen, retry } from "cockatiel";
import { z } from "zod";
import type { FixActionDef } from "../../catalogue";
import { describeHttpError } from "../../probes/http";
import { createFetcher } from "../../site/fetcher";
import { isTargetUrl } from "../web/same-origin";

const params = z.object({ url: z.url(), attempts: z.number().int().min(2).max(8) });
const ATTEMPTS = 5;

class StillFailing extends Error {}

/** Re-probes a failing endpoint with exponential backoff (0.25 s, 0.5 s, 1 s, 2 s): a failure
 * that passes on its own closes after verification re-runs the check; one that does not is
 * reported as persistent. Read-only GETs: safe. */
export const netReprobeTransient: FixActionDef<z.infer<typeof params>> = {
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
    return { url, attempts: ATTEMPTS };
  },
  describe: (p) => `GET ${p.url} up to ${p.attempts} times with exponential backoff (0.25 s doubling, at most 4 s apart).`,
  async apply(p, { target, signal, credentials }) {
    if (!isTargetUrl(target, p.url)) return { ok: false, detail: "refused: the URL is not the target's" };
    const fetcher = createFetcher(signal, credentials, target.caCertificates ?? null);
    const tried: string[] = [];
    const policy = retry(handleWhen((err) => err instanceof StillFailing), {
      maxAttempts: p.attempts - 1,
      backoff: new ExponentialBackoff({ initialDelay: 250, maxDelay: 4_000, exponent: 2 }),
    });
    try {
      const status = await policy.execute(async () => {
        let outcome: string;
        try {
          const res = await fetcher.get(p.url, { readBody: false, retry: false, timeoutMs: 5_000 });
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
      return { ok: false, detail: `still failing after ${tried.length} attempts (${tried.join(", ")}): persistent` };
    }
  },
};
