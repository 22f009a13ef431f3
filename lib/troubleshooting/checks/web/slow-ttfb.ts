import pLimit from "p-limit";
import type { Check, IssueDraft } from "../../catalogue";
import { percentile } from "../../site/sampling";
import type { Fetcher } from "../../site/fetcher";
import { outcome } from "../outcome";
import { contentPages, pathOf } from "./shared";

/** Google's TTFB guidance: good up to 800 ms. Median of `samples` requests per page (the crawl's
 * is the first); sampling of a page stops early after `budgetMs` once it has 3 samples. */
export const TTFB_THRESHOLDS = { mediumMs: 800, highMs: 2_000, samples: 5, budgetMs: 4_000 };

export const webSlowTtfb: Check = {
  code: "web.slow_ttfb",
  domain: "web",
  title: "Slow time to first byte",
  description: `Median TTFB of ${TTFB_THRESHOLDS.samples} requests per page: medium over ${TTFB_THRESHOLDS.mediumMs} ms, high over ${TTFB_THRESHOLDS.highMs} ms.`,
  thresholds: TTFB_THRESHOLDS,
  async run({ site, thresholds }) {
    const t = { ...TTFB_THRESHOLDS, ...thresholds };
    const content = await contentPages(site);
    if ("outcome" in content) return content.outcome;
    const limit = pLimit(4);
    const measured = await Promise.all(
      content.pages.map((page) => limit(async () => ({ url: page.finalUrl, samples: await sampleTtfb(site.fetcher, page.finalUrl, page.ttfbMs ?? 0, t) }))),
    );
    const issues: IssueDraft[] = [];
    for (const { url, samples } of measured) {
      const median = percentile(samples, 50);
      if (median <= t.mediumMs) continue;
      issues.push({
        severity: median > t.highMs ? "high" : "medium",
        title: `${pathOf(url)}: time to first byte is ${median} ms`,
        description: `The server takes ${median} ms (median of ${samples.length}) before it starts answering; the page feels slow before anything renders.`,
        subject: url,
        evidence: { url, medianMs: median, samplesMs: samples, thresholdMs: t.mediumMs },
        recommendation: "Look for slow database queries or upstream calls made while rendering; cache what can be cached (ISR, `revalidate`, fetch cache); a cold serverless function shows as a slow first sample only.",
      });
    }
    return outcome(issues, { pages: measured.map(({ url, samples }) => ({ url, medianMs: percentile(samples, 50) })) });
  },
};

async function sampleTtfb(fetcher: Fetcher, url: string, first: number, t: typeof TTFB_THRESHOLDS): Promise<number[]> {
  const samples = [Math.round(first)];
  const started = performance.now();
  while (samples.length < t.samples && !(samples.length >= 3 && performance.now() - started > t.budgetMs)) {
    try {
      samples.push(Math.round((await fetcher.get(url, { readBody: false })).ttfbMs));
    } catch {
      break;
    }
  }
  return samples;
}
