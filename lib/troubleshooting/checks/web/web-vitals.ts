// Core Web Vitals measured in the page by the browser checks. A page whose first load looked poor
// is loaded again (site/browser.ts) and judged by the median of its loads: one slow load (a busy
// prober, a cold cache) is not the page's verdict, and the text says how many loads it rests on.
import type { Check, IssueDraft } from "../../catalogue";
import type { BrowserPage } from "../../site/browser";
import { outcome } from "../outcome";
import { browserPages, pathOf } from "./shared";

/** Google's Core Web Vitals: LCP good up to 2.5 s, poor over 4 s; CLS good up to 0.1, poor over 0.25. */
const LCP_THRESHOLDS = { mediumMs: 2_500, highMs: 4_000 };
const CLS_THRESHOLDS = { medium: 0.1, high: 0.25 };

export const webSlowPageLoad: Check = {
  code: "web.slow_page_load",
  domain: "web",
  title: "Slow page load (LCP)",
  description: `Largest Contentful Paint measured in Chromium: medium over ${LCP_THRESHOLDS.mediumMs} ms, high over ${LCP_THRESHOLDS.highMs} ms.`,
  thresholds: LCP_THRESHOLDS,
  async run({ site, thresholds }) {
    const t = { ...LCP_THRESHOLDS, ...thresholds };
    const seen = await browserPages(site);
    if ("outcome" in seen) return seen.outcome;
    const issues: IssueDraft[] = seen.pages.flatMap((page) => {
      if (page.lcpMs === null || page.lcpMs <= t.mediumMs) return [];
      const loads = measured(page.lcpSamplesMs);
      return [
        {
          severity: page.lcpMs > t.highMs ? ("high" as const) : ("medium" as const),
          title: `${pathOf(page.url)}: largest contentful paint ${page.lcpMs} ms (${loads.short})`,
          description: `The main content appears ${page.lcpMs} ms after navigation starts, ${loads.long} (${samplesText(page.lcpSamplesMs, " ms")}; first load event at ${page.loadMs} ms).`,
          subject: page.url,
          evidence: { url: page.url, lcpMs: page.lcpMs, lcpSamplesMs: page.lcpSamplesMs, loads: loads.count, loadMs: page.loadMs, thresholdMs: t.mediumMs },
          recommendation: "Find the LCP element (usually a hero image or heading): serve the image with next/image and `priority`, avoid client-only rendering of above-the-fold content, and cut the server time first (see web.slow_ttfb).",
        },
      ];
    });
    return outcome(issues, { lcpMs: seen.pages.map((p) => ({ url: p.url, lcpMs: p.lcpMs, samplesMs: p.lcpSamplesMs })) });
  },
};

export const webLayoutShift: Check = {
  code: "web.layout_shift",
  domain: "web",
  title: "Layout shift (CLS)",
  description: `Cumulative Layout Shift measured in Chromium while the page loads: medium over ${CLS_THRESHOLDS.medium}, high over ${CLS_THRESHOLDS.high}.`,
  thresholds: CLS_THRESHOLDS,
  async run({ site, thresholds }) {
    const t = { ...CLS_THRESHOLDS, ...thresholds };
    const seen = await browserPages(site);
    if ("outcome" in seen) return seen.outcome;
    const issues: IssueDraft[] = seen.pages.flatMap((page) => {
      if (page.cls <= t.medium) return [];
      const loads = measured(page.clsSamples);
      return [
        {
          severity: page.cls > t.high ? ("high" as const) : ("medium" as const),
          title: `${pathOf(page.url)}: layout shift ${page.cls} (${loads.short})`,
          description: `Content moves while the page loads: CLS ${page.cls}, ${loads.long} (${samplesText(page.clsSamples, "")}); users click the wrong thing or lose their place.`,
          subject: page.url,
          evidence: { url: page.url, cls: page.cls, clsSamples: page.clsSamples, loads: loads.count, threshold: t.medium },
          recommendation: "Reserve space for images, embeds and late content (width/height or aspect-ratio), and do not insert content above what is already shown.",
        },
      ];
    });
    return outcome(issues, { cls: seen.pages.map((p) => ({ url: p.url, cls: p.cls, samples: p.clsSamples })) });
  },
};

/** How many loads a value rests on, in words: the median of several, or a single load. The value
 * judged is the page's median (lcpMs, cls), never a single poor load of several. */
function measured(samples: BrowserPage["lcpSamplesMs"] | BrowserPage["clsSamples"]): { count: number; short: string; long: string } {
  const count = samples.filter((v) => v !== null).length;
  return count > 1 ? { count, short: `median of ${count} loads`, long: `the median of ${count} loads` } : { count, short: "one load", long: "measured in one load" };
}

const samplesText = (samples: (number | null)[], unit: string) => `loads: ${samples.map((v) => (v === null ? "nothing painted" : `${v}${unit}`)).join(", ")}`;
