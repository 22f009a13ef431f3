import type { Check, IssueDraft } from "../../catalogue";
import { outcome } from "../outcome";
import type { BrowserPage } from "../../site/browser";
import { contentPages, pathOf } from "./shared";

/** Lighthouse flags total byte weight from about 1.6 MB; we report heavier pages. */
const PAGE_WEIGHT_THRESHOLDS = { mediumBytes: 2 * 1024 * 1024, highBytes: 5 * 1024 * 1024 };

export const webPageWeight: Check = {
  code: "web.page_weight",
  domain: "web",
  title: "Heavy page",
  description:
    "A page's HTML plus the scripts, stylesheets and images it references: medium over 2 MiB, high over 5 MiB. A page whose load in the browser went past the browser's cap (24 MiB across its responses) was stopped there, and is high.",
  thresholds: PAGE_WEIGHT_THRESHOLDS,
  async run({ site, thresholds }) {
    const t = { ...PAGE_WEIGHT_THRESHOLDS, ...thresholds };
    const content = await contentPages(site);
    if ("outcome" in content) return content.outcome;
    const [assets, browser] = await Promise.all([site.assets(), site.browser()]);
    const issues: IssueDraft[] = [];
    const stopped = new Set<string>();
    for (const seen of browser.available ? browser.pages : []) {
      if (!seen.tooHeavy) continue;
      stopped.add(seen.url);
      issues.push({
        severity: "high",
        title: `${pathOf(seen.url)} loads more than ${mib(seen.tooHeavy.limitBytes)} in the browser`,
        description: `Loading the page in a browser received ${mib(seen.tooHeavy.bytes)} before the probe stopped it at ${mib(seen.tooHeavy.limitBytes)}: what its scripts fetch or stream comes on top of what its HTML names. A visitor's browser downloads all of it, and holds much of it in memory.`,
        subject: seen.url,
        evidence: { url: seen.url, receivedBytes: seen.tooHeavy.bytes, limitBytes: seen.tooHeavy.limitBytes, requested: requestedUrls(seen) },
        recommendation: "Find what the page fetches or streams on load (the browser's network panel, sorted by size): paginate or stream large data on demand, do not preload media, and compress and resize images.",
      });
    }
    const weights = content.pages.map((page) => {
      const own = assets.filter((a) => a.pages.includes(page.url));
      const assetBytes = own.reduce((sum, a) => sum + a.bytes, 0);
      return { page, own, assetBytes, total: page.htmlBytes + assetBytes };
    });
    for (const { page, own, assetBytes, total } of weights) {
      if (total <= t.mediumBytes || stopped.has(page.finalUrl) || stopped.has(page.url)) continue;
      const largest = [...own].sort((a, b) => b.bytes - a.bytes).slice(0, 5).map((a) => ({ url: a.url, bytes: a.bytes }));
      issues.push({
        severity: total > t.highBytes ? "high" : "medium",
        title: `${pathOf(page.url)} weighs ${mib(total)}`,
        description: `The page downloads ${mib(total)} (HTML ${mib(page.htmlBytes)}, assets ${mib(assetBytes)}); on a mobile connection that takes seconds.`,
        subject: page.url,
        evidence: { url: page.url, totalBytes: total, htmlBytes: page.htmlBytes, assetBytes, largest, thresholdBytes: t.mediumBytes },
        recommendation:
          page.htmlBytes > assetBytes
            ? "The HTML itself is heavy: paginate long lists, avoid inlining large data into the page (server components passing big props serialise them into the HTML), and stream what is below the fold."
            : "Compress and resize images (next/image), split large client bundles (dynamic import), and drop unused dependencies.",
      });
    }
    return outcome(issues, { pages: weights.map((w) => ({ url: w.page.url, bytes: w.total })) });
  },
};

/** The URLs the page requested, for the evidence (sizes are not known for a stopped load). */
const requestedUrls = (page: BrowserPage) => page.requests.slice(0, 10).map((r) => r.url);

const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(2)} MiB`;
