// One page of the site as the HTTP client sees it (discovery.ts finds which pages to fetch).
import { type HttpResult, describeHttpError } from "../probes/http";
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
  /** A linked page that redirects to another origin: where to (the redirect is not followed, and
   * `status` and `headers` are those of the redirect). */
  leavesFor?: string;
  refs: PageRefs;
}

/** A page whose content is worth judging: it answered below 400, without a redirect loop, on the
 * target's own origin. */
export const isContentPage = (page: PageSnapshot) => page.status !== undefined && page.status < 400 && !page.redirectLoop && page.leavesFor === undefined;

const MAX_REDIRECTS = 10;
/** Bounds one page's request, redirects and body included: a page that never finishes is its own
 * failure ("timed out"), not a stall of the discovery every check waits for. */
const PAGE_TIMEOUT_MS = 10_000;

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

/** Fetches one page. A start page's redirects are followed wherever they go (the operator chose
 * the URL: http to https, apex to www); a linked page's only within `stayOn`, its origin: a link
 * that redirects elsewhere (another site, a loopback port) is not the target, so it is not
 * fetched there, and the page is reported as leaving (`leavesFor`). */
export async function fetchPage(fetcher: Fetcher, url: string, configured: boolean, foundBy: PageSource[], stayOn: string | null = null): Promise<PageSnapshot> {
  const empty = { url, foundBy, configured, finalUrl: url, htmlBytes: 0, headers: {}, redirects: [], redirectLoop: false, refs: { links: [], assets: [] } };
  try {
    const { res, redirects, redirectLoop, leavesFor } = stayOn === null ? await following(fetcher, url) : await followingWithin(fetcher, url, stayOn);
    const html = leavesFor === undefined && (res.headers["content-type"] ?? "").includes("html");
    return {
      ...empty,
      finalUrl: res.url,
      status: res.status,
      ttfbMs: Math.round(res.ttfbMs),
      htmlBytes: res.bytes,
      headers: res.headers,
      redirects,
      redirectLoop,
      ...(leavesFor === undefined ? {} : { leavesFor }),
      refs: html ? readPageRefs(res.body, res.url) : empty.refs,
    };
  } catch (err) {
    return { ...empty, error: describeHttpError(err), blocked: err instanceof BlockedAddressError };
  }
}

interface Followed {
  res: HttpResult;
  redirects: string[];
  redirectLoop: boolean;
  leavesFor?: string;
}

async function following(fetcher: Fetcher, url: string): Promise<Followed> {
  const res = await fetcher.get(url, { timeoutMs: PAGE_TIMEOUT_MS });
  return { res, redirects: res.redirects, redirectLoop: res.redirectLoop };
}

/** The redirects followed hop by hop, as the HTTP probe does (loops seen the same way), but not
 * past `origin`. */
async function followingWithin(fetcher: Fetcher, url: string, origin: string): Promise<Followed> {
  const redirects: string[] = [];
  for (let current = url; ; ) {
    const res = await fetcher.get(current, { followRedirects: false, timeoutMs: PAGE_TIMEOUT_MS });
    const location = res.headers.location;
    if (res.status < 300 || res.status >= 400 || !location) return { res, redirects, redirectLoop: false };
    redirects.push(current);
    const next = new URL(location, current).toString();
    if (redirects.includes(next) || redirects.length >= MAX_REDIRECTS) return { res, redirects: [...redirects, next], redirectLoop: true };
    if (new URL(next).origin !== origin) return { res, redirects, redirectLoop: false, leavesFor: next };
    current = next;
  }
}
