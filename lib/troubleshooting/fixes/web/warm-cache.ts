import { z } from "zod";
import type { FixActionDef } from "../../catalogue";
import { createFetcher } from "../../site/fetcher";
import { isTargetUrl } from "./same-origin";

const params = z.object({ url: z.url(), requests: z.number().int().min(1).max(10) });
const REQUESTS = 3;

/** Requests a slow page again, in full, so that caches fill and cold functions start; the
 * verification phase then re-measures. Only GETs of the target's own pages: safe. */
export const webWarmCache: FixActionDef<z.infer<typeof params>> = {
  code: "web.warm_cache",
  domain: "web",
  title: "Warm the page's caches",
  description: "Requests a slow page a few times so that data caches, ISR pages and cold serverless functions are warm, then lets verification re-measure.",
  addresses: ["web.slow_ttfb", "web.slow_page_load"],
  risk: "safe",
  params,
  plan: (issue) => (typeof issue.evidence.url === "string" ? { url: issue.evidence.url, requests: REQUESTS } : null),
  describe: (p) => `GET ${p.url} ${p.requests} times (full responses), then re-measure.`,
  async apply(p, { target, signal, credentials }) {
    if (!isTargetUrl(target, p.url)) return { ok: false, detail: "refused: the URL is not the target's" };
    const fetcher = createFetcher(signal, credentials, target.caCertificates ?? null);
    const timings: number[] = [];
    for (let i = 0; i < p.requests; i++) {
      const res = await fetcher.get(p.url);
      if (res.status >= 500) return { ok: false, detail: `the page answered ${res.status} while warming` };
      timings.push(Math.round(res.ttfbMs));
    }
    return { ok: true, detail: `requested ${p.requests} times; time to first byte ${timings.join(", ")} ms` };
  },
};
