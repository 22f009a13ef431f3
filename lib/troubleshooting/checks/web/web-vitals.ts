// Core Web Vitals measured in the page by the browser checks.
import type { Check, IssueDraft } from "../../catalogue";
import { outcome } from "../outcome";
import { browserPages, pathOf } from "./shared";

/** Google's Core Web Vitals: LCP good up to 2.5 s, poor over 4 s; CLS good up to 0.1, poor over 0.25. */
export const LCP_THRESHOLDS = { mediumMs: 2_500, highMs: 4_000 };
export const CLS_THRESHOLDS = { medium: 0.1, high: 0.25 };

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
      return [
        {
          severity: page.lcpMs > t.highMs ? ("high" as const) : ("medium" as const),
          title: `${pathOf(page.url)}: largest contentful paint ${page.lcpMs} ms`,
          description: `The main content appears ${page.lcpMs} ms after navigation starts (load event at ${page.loadMs} ms).`,
          subject: page.url,
          evidence: { url: page.url, lcpMs: page.lcpMs, loadMs: page.loadMs, thresholdMs: t.mediumMs },
          recommendation: "Find the LCP element (usually a hero image or heading): serve the image with next/image and `priority`, avoid client-only rendering of above-the-fold content, and cut the server time first (see web.slow_ttfb).",
        },
      ];
    });
    return outcome(issues, { lcpMs: seen.pages.map((p) => ({ url: p.url, lcpMs: p.lcpMs })) });
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
      return [
        {
          severity: page.cls > t.high ? ("high" as const) : ("medium" as const),
          title: `${pathOf(page.url)}: layout shift ${page.cls}`,
          description: `Content moves while the page loads (CLS ${page.cls}); users click the wrong thing or lose their place.`,
          subject: page.url,
          evidence: { url: page.url, cls: page.cls, threshold: t.medium },
          recommendation: "Reserve space for images, embeds and late content (width/height or aspect-ratio), and do not insert content above what is already shown.",
        },
      ];
    });
    return outcome(issues, { cls: seen.pages.map((p) => ({ url: p.url, cls: p.cls })) });
  },
};
