// One page of the site as the HTTP client sees it (discovery.ts finds which pages to fetch).
import { describeHttpError } from "../probes/http";
import { BlockedAddressError } from "../probes/address-policy";
import { type PageRefs, readPageRefs } from "./html";
import type { Fetcher } from "./fetcher";

/** How a page was found: `start` the base URL; `configured` TARGET_PAGES; `link` an `<a href>` in
 * a page's server HTML; `rendered-link` a link the browser rendered after hydration; `sitemap`
 * /sitemap.xml (or one robots.txt names); `build-manifest` Next.js's client build manifest. */
export type PageSource = "start" | "configured" | "link" | "rendered-link" | "sitemap" | "build-manifest";

export interface PageSnapshot {
  url: string;
  foundBy: PageSource[];
  /** A start page (configured, or the base URL): a 4xx there is its own error, not a broken link. */
  configured: boolean;
  finalUrl: string;
  status?: number;
  /** Why the request failed, when it did. */
  error?: string;
  blocked?: boolean;
  ttfbMs?: number;
  htmlBytes: number;
  headers: Record<string, string>;
  redirects: string[];
  redirectLoop: boolean;
  refs: PageRefs;
}

/** A page whose content is worth judging: it answered below 400, without a redirect loop. */
export const isContentPage = (page: PageSnapshot) => page.status !== undefined && page.status < 400 && !page.redirectLoop;

const NOT_A_PAGE = /\.(pdf|zip|gz|png|jpe?g|gif|webp|svg|ico|mp4|mp3|css|js|json|xml|txt)$/i;

export function isCrawlable(url: string, origin: string): boolean {
  const parsed = new URL(url);
  return parsed.origin === origin && !parsed.pathname.startsWith("/api/") && !parsed.pathname.startsWith("/_next/") && !NOT_A_PAGE.test(parsed.pathname);
}

/** The URL without its fragment: what the server is asked for. */
export function withoutHash(url: string): string {
  const parsed = new URL(url);
  parsed.hash = "";
  return parsed.toString();
}

/** The URL without its query and fragment: one page, whatever its parameters. */
export function withoutQuery(url: string): string {
  const parsed = new URL(withoutHash(url));
  parsed.search = "";
  return parsed.toString();
}

export async function fetchPage(fetcher: Fetcher, url: string, configured: boolean, foundBy: PageSource[]): Promise<PageSnapshot> {
  const empty = { url, foundBy, configured, finalUrl: url, htmlBytes: 0, headers: {}, redirects: [], redirectLoop: false, refs: { links: [], assets: [] } };
  try {
    const res = await fetcher.get(url);
    const html = (res.headers["content-type"] ?? "").includes("html");
    return {
      ...empty,
      finalUrl: res.url,
      status: res.status,
      ttfbMs: Math.round(res.ttfbMs),
      htmlBytes: res.bytes,
      headers: res.headers,
      redirects: res.redirects,
      redirectLoop: res.redirectLoop,
      refs: html ? readPageRefs(res.body, res.url) : empty.refs,
    };
  } catch (err) {
    return { ...empty, error: describeHttpError(err), blocked: err instanceof BlockedAddressError };
  }
}
