import { z } from "zod";
import type { FixActionDef } from "../../catalogue";
import { createFetcher } from "../../site/fetcher";
import { isTargetUrl } from "./same-origin";

const params = z.object({
  url: z.url(),
  requests: z.number().int().min(1).max(10),
  /** A time to first byte over this (ms) is still slow; left out, 800 ms (web.slow_ttfb's default). */
  slowMs: z.number().int().min(1).optional(),
});
type Params = z.infer<typeof params>;
const REQUESTS = 3;
/** Google's TTFB guidance, web.slow_ttfb's medium threshold: the bar for an LCP issue too, whose own
 * threshold (LCP) is not a time to first byte. */
const SLOW_TTFB_MS = 800;
/** The last request must be at least this much faster than the first to count as shortened. */
const SHORTENED = 0.8;

/** Requests a slow page again so that caches fill and cold functions start; the verification
 * phase then re-measures. The first request reads the page in full (a cache that fills while it is
 * rendered or streamed); the next read only the headers, which is all a time to first byte needs
 * (a streamed body took seconds each time). When the last is still slow and no faster than the
 * first, warming did not work: the action fails (verification would only re-measure a page it
 * cannot have changed). Only GETs of the target's own pages: safe. */
export const webWarmCache: FixActionDef<Params> = {
  code: "web.warm_cache",
  domain: "web",
  title: "Warm the page's caches",
  description: "Requests a slow page a few times so that data caches, ISR pages and cold serverless functions are warm, then lets verification re-measure; fails when the last request is still as slow as the first.",
  addresses: ["web.slow_ttfb", "web.slow_page_load"],
  risk: "safe",
  params,
  plan: (issue) => {
    if (typeof issue.evidence.url !== "string") return null;
    const threshold = issue.code === "web.slow_ttfb" && typeof issue.evidence.thresholdMs === "number" ? Math.round(issue.evidence.thresholdMs) : undefined;
    return { url: issue.evidence.url, requests: REQUESTS, ...(threshold ? { slowMs: threshold } : {}) };
  },
  describe: (p) => `GET ${p.url} ${p.requests} times (the first in full, then the headers only), then re-measure; failed if the last is still over ${p.slowMs ?? SLOW_TTFB_MS} ms and no faster than the first.`,
  async apply(p, { target, signal, credentials }) {
    if (!isTargetUrl(target, p.url)) return { ok: false, detail: "refused: the URL is not the target's" };
    const fetcher = createFetcher(signal, credentials, target.caCertificates ?? null);
    const timings: number[] = [];
    for (let i = 0; i < p.requests; i++) {
      const res = await fetcher.get(p.url, { readBody: i === 0 });
      if (res.status >= 500) return { ok: false, detail: `the page answered ${res.status} while warming` };
      timings.push(Math.round(res.ttfbMs));
    }
    const measured = `time to first byte ${timings.join(", ")} ms`;
    const first = timings[0] ?? 0;
    const last = timings[timings.length - 1] ?? 0;
    const slowMs = p.slowMs ?? SLOW_TTFB_MS;
    if (timings.length > 1 && last > slowMs && last > first * SHORTENED) {
      return { ok: false, detail: `warming did not shorten it: ${measured} (still over ${slowMs} ms)` };
    }
    return { ok: true, detail: `requested ${p.requests} times; ${measured}` };
  },
};
