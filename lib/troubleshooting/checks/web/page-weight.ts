import type { Check, IssueDraft } from "../../catalogue";
import { outcome } from "../outcome";
import { contentPages, pathOf } from "./shared";

/** Lighthouse flags total byte weight from about 1.6 MB; we report heavier pages. */
export const PAGE_WEIGHT_THRESHOLDS = { mediumBytes: 2 * 1024 * 1024, highBytes: 5 * 1024 * 1024 };

export const webPageWeight: Check = {
  code: "web.page_weight",
  domain: "web",
  title: "Heavy page",
  description: "A page's HTML plus the scripts, stylesheets and images it references: medium over 2 MiB, high over 5 MiB.",
  thresholds: PAGE_WEIGHT_THRESHOLDS,
  async run({ site, thresholds }) {
    const t = { ...PAGE_WEIGHT_THRESHOLDS, ...thresholds };
    const content = await contentPages(site);
    if ("outcome" in content) return content.outcome;
    const assets = await site.assets();
    const issues: IssueDraft[] = [];
    const weights = content.pages.map((page) => {
      const own = assets.filter((a) => a.pages.includes(page.url));
      const assetBytes = own.reduce((sum, a) => sum + a.bytes, 0);
      return { page, own, assetBytes, total: page.htmlBytes + assetBytes };
    });
    for (const { page, own, assetBytes, total } of weights) {
      if (total <= t.mediumBytes) continue;
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

const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(2)} MiB`;
