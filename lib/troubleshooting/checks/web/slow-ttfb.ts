import pLimit from "p-limit";
import type { Check, IssueDraft } from "../../catalogue";
import { DEFAULT_SAMPLING, confirmSlowOnes, confirmationEvidence, describeConfirmation, describeStatistic, keptSamples, latencyStatistic, sampleEndpoint, slowTogether } from "../../site/sampling";
import { outcome } from "../outcome";
import { contentPages, pathOf } from "./shared";

/** Google's TTFB guidance: good up to 800 ms. Median of `samples` requests per page (the crawl's
 * is the first); sampling of a page stops early after `budgetMs` once it has 3 samples. A slow
 * page is measured again (`confirmSamples` fresh requests, a majority slow) before it is reported. */
const TTFB_THRESHOLDS = { mediumMs: 800, highMs: 2_000, samples: 5, budgetMs: 4_000, confirmSamples: 3 };

export const webSlowTtfb: Check = {
  code: "web.slow_ttfb",
  domain: "web",
  title: "Slow time to first byte",
  description:
    `Median TTFB of ${TTFB_THRESHOLDS.samples} requests per page, leaving out requests taken while the prober itself stalled: ` +
    `medium over ${TTFB_THRESHOLDS.mediumMs} ms, high over ${TTFB_THRESHOLDS.highMs} ms, reported only when ${TTFB_THRESHOLDS.confirmSamples} fresh requests mostly agree.`,
  thresholds: TTFB_THRESHOLDS,
  async run({ site, target, thresholds }) {
    const t = { ...TTFB_THRESHOLDS, ...thresholds };
    // The crawl's request counts as the first sample (a slow page's sampling fits the check's time
    // only so). Nobody watched the prober's stalls while it ran: it is one of at least three in a
    // median, and the confirmation stands guard.
    const plan = { samples: t.samples - 1, timeoutMs: DEFAULT_SAMPLING.timeoutMs, budgetMs: t.budgetMs, minSamples: 2 };
    const sample = (url: string) => sampleEndpoint(site.fetcher, url, plan, site.fetcher.authenticates(url));
    // The start page is known before the pages are crawled and browsed (4-5 s on a slow, streamed
    // home page): it is sampled meanwhile. Used only if it is a content page at that very URL (a
    // start page that redirects is sampled where it landed, with the others).
    const startUrl = new URL(target.pages?.[0] ?? target.baseUrl, target.baseUrl).toString();
    const early = sample(startUrl);
    early.catch(() => {});
    const content = await contentPages(site);
    if ("outcome" in content) return content.outcome;
    const limit = pLimit(4);
    const sampled = await Promise.all(
      content.pages.map(async (page) => ({ crawlMs: page.ttfbMs, ...(await (page.finalUrl === startUrl ? early : limit(() => sample(page.finalUrl)))) })),
    );
    // Pages sampled four at a time: one slow moment shared by all is the prober's, not theirs.
    const together = slowTogether(sampled);
    const measured = sampled.map((p) => ({ ...p, ms: [...(p.crawlMs === undefined ? [] : [Math.round(p.crawlMs)]), ...keptSamples(p, together).map((s) => s.ms)] })).map((p) => ({ ...p, statistic: latencyStatistic(p.ms) }));
    const slow = await confirmSlowOnes(site.fetcher, measured, { thresholdMs: t.mediumMs, timeoutMs: DEFAULT_SAMPLING.timeoutMs, samples: t.confirmSamples });
    const issues: IssueDraft[] = [];
    for (const { url, ms, crawlMs, statistic, discarded, confirmation } of slow) {
      if (!confirmation.confirmed) continue;
      issues.push({
        severity: statistic.ms > t.highMs ? "high" : "medium",
        title: `${pathOf(url)}: time to first byte is ${statistic.ms} ms (${statistic.name})`,
        description: `The server takes ${statistic.ms} ms (${describeStatistic(statistic)}) before it starts answering, and ${describeConfirmation(confirmation)} when asked again right after; the page feels slow before anything renders.`,
        subject: url,
        evidence: {
          url,
          statistic: statistic.name,
          [`${statistic.name}Ms`]: statistic.ms,
          samplesMs: ms,
          crawlMs,
          thresholdMs: t.mediumMs,
          discarded,
          confirmation: confirmationEvidence(confirmation),
        },
        recommendation: "Look for slow database queries or upstream calls made while rendering; cache what can be cached (ISR, `revalidate`, fetch cache); a cold serverless function shows as a slow first sample only.",
      });
    }
    return outcome(issues, {
      pages: measured.map(({ url, statistic, discarded }) => ({ url, statistic: statistic.name, ms: statistic.ms, of: statistic.of, discarded: discarded.count })),
      unconfirmed: slow.filter((p) => !p.confirmation.confirmed).map((p) => ({ url: p.url, ms: p.statistic.ms, confirmationMs: p.confirmation.samples.map((s) => s.ms) })),
    });
  },
};

