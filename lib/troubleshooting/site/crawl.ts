// The pages of a site: the configured ones, or the base URL plus the same-origin pages its links
// lead to (breadth first, up to a limit), fetched once per run and shared by the web checks.
import pLimit from "p-limit";
import { describeHttpError } from "../probes/http";
import { BlockedAddressError } from "../probes/address-policy";
import { type PageRefs, readPageRefs } from "./html";
import type { Fetcher } from "./fetcher";

export interface PageSnapshot {
  url: string;
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

export async function crawl(fetcher: Fetcher, baseUrl: string, configured: string[], limit: number): Promise<PageSnapshot[]> {
  const origin = new URL(baseUrl).origin;
  const start = configured.length > 0 ? configured.map((p) => new URL(p, baseUrl).toString()) : [new URL(baseUrl).toString()];
  const seen = new Set(start);
  const pages: PageSnapshot[] = [];
  const queue = pLimit(4);
  const visit = async (url: string): Promise<void> => {
    const page = await fetchPage(fetcher, url, start.includes(url));
    pages.push(page);
    if (configured.length > 0) return; // a configured list is the whole list
    const next = page.refs.links.map(withoutQuery).filter((link) => isCrawlable(link, origin) && !seen.has(link));
    const room = limit + 1 - seen.size;
    for (const link of next.slice(0, Math.max(0, room))) seen.add(link);
    await Promise.all(next.slice(0, Math.max(0, room)).map((link) => queue(() => visit(link))));
  };
  await Promise.all(start.map((url) => queue(() => visit(url))));
  return pages.sort((a, b) => (a.url === start[0] ? -1 : b.url === start[0] ? 1 : a.url.localeCompare(b.url)));
}

function withoutQuery(url: string): string {
  const parsed = new URL(url);
  parsed.search = "";
  return parsed.toString();
}

async function fetchPage(fetcher: Fetcher, url: string, configured: boolean): Promise<PageSnapshot> {
  const empty = { url, configured, finalUrl: url, htmlBytes: 0, headers: {}, redirects: [], redirectLoop: false, refs: { links: [], assets: [] } };
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
