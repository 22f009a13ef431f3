import type { Check } from "../../catalogue";
import { outcome } from "../outcome";
import { contentPages } from "./shared";

/** Hashed file names (Next's `_next/static`, or a content hash in the name) never change. */
const HASHED = /\/_next\/static\/|[.-][0-9a-f]{8,}\.(js|css|woff2?|png|jpe?g|webp|avif|svg)$/i;
export const CACHE_THRESHOLDS = { minMaxAgeSeconds: 31_536_000 };

export const webMissingCacheHeaders: Check = {
  code: "web.missing_cache_headers",
  domain: "web",
  title: "Hashed assets not cached as immutable",
  description: "Assets with a content hash in their URL must be served with `Cache-Control: public, max-age=31536000, immutable` (low).",
  thresholds: CACHE_THRESHOLDS,
  async run({ target, site, thresholds }) {
    const t = { ...CACHE_THRESHOLDS, ...thresholds };
    const content = await contentPages(site);
    if ("outcome" in content) return content.outcome;
    // A "chunk" answered with an HTML page is a failed asset (web.failed_assets), not a cached file.
    const hashed = (await site.assets()).filter((a) => a.status === 200 && HASHED.test(new URL(a.url).pathname) && !(a.headers["content-type"] ?? "").includes("html"));
    const uncached = hashed.filter((a) => {
      const header = (a.headers["cache-control"] ?? "").toLowerCase();
      const maxAge = Number(/max-age=(\d+)/.exec(header)?.[1] ?? 0);
      return !header.includes("immutable") || maxAge < t.minMaxAgeSeconds;
    });
    if (uncached.length === 0) return outcome([], { hashedAssets: hashed.length });
    const origin = new URL(target.baseUrl).origin;
    return outcome(
      [
        {
          severity: "low",
          title: `${uncached.length} hashed asset${uncached.length === 1 ? " is" : "s are"} not cached as immutable`,
          description: "Browsers and CDNs re-validate files that can never change, which costs a round trip per file on every visit.",
          subject: `${origin} hashed assets`,
          evidence: { count: uncached.length, examples: uncached.slice(0, 10).map((a) => ({ url: a.url, cacheControl: a.headers["cache-control"] ?? null })) },
          recommendation:
            "Next.js sets this header on `_next/static` itself; if it is missing, a proxy or CDN rewrites it, or `headers()` in next.config overrides it. Serve hashed files with `Cache-Control: public, max-age=31536000, immutable`.",
        },
      ],
      {},
    );
  },
};
