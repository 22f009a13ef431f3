// Which pages of a site to check, and how each was found. Real sites render much of their
// navigation on the client, so the server HTML of the home page may link to nothing: discovery
// follows the links of the server HTML, the links the browser renders after hydration, the
// sitemap and Next.js's client build manifest, breadth first, up to a limit. Each page is fetched
// once by the HTTP client and loaded once by the browser, at the same time.
import pLimit from "p-limit";
import { Parser } from "htmlparser2";
import { type PageSnapshot, type PageSource, fetchPage, isContentPage, isCrawlable, withoutQuery } from "./crawl";
import type { BrowserPage, BrowserReport, BrowserSession } from "./browser";
import type { Fetcher } from "./fetcher";

export interface Discovery {
  /** The checked pages, the start page first. */
  pages: PageSnapshot[];
  /** Same-origin pages found but not checked: over the limit. */
  unchecked: { url: string; foundBy: PageSource }[];
  limit: number;
  /** Pages the sitemap listed (null: the site has none, or it could not be read). */
  sitemapPages: number | null;
  /** The browser's view of the checked pages (by final URL), or why there is none. Their LCP
   * and CLS are final once `vitalsConfirmed` resolves. */
  browser: BrowserReport;
  /** Pages whose first load looked poor are loaded again meanwhile (BrowserSession.confirmVitals). */
  vitalsConfirmed: Promise<void>;
}

export interface DiscoveryInput {
  baseUrl: string;
  /** Configured pages (TARGET_PAGES): then exactly these are checked. */
  configured: string[];
  limit: number;
  fetcher: Fetcher;
  /** The browser, or why there is none (then client-rendered links cannot be seen). */
  browser: Promise<BrowserSession | { unavailable: string }>;
}

const MAX_SITEMAP_URLS = 500;

export async function discover(input: DiscoveryInput): Promise<Discovery> {
  const { fetcher, limit } = input;
  const origin = new URL(input.baseUrl).origin;
  const start = input.configured.length > 0 ? input.configured.map((p) => new URL(p, input.baseUrl).toString()) : [new URL(input.baseUrl).toString()];
  const explore = input.configured.length === 0;
  const found = new Map<string, PageSource[]>(); // every same-origin page seen, with how
  const queued = new Set<string>();
  const pages: PageSnapshot[] = [];
  const visited = new Map<string, BrowserPage>(); // by the URL asked for and the one landed on
  const unchecked: Discovery["unchecked"] = [];
  const fetches = pLimit(4);
  const browserReady = input.browser;
  let manifestRead = false;
  const confirmations: Promise<void>[] = []; // of poor Web Vitals, off the path that finds pages

  const note = (url: string, source: PageSource): boolean => {
    const sources = found.get(url);
    if (sources) {
      if (!sources.includes(source)) sources.push(source);
      return false;
    }
    found.set(url, [source]);
    return true;
  };
  const tasks: Promise<void>[] = [];
  const enqueue = (raw: string, source: PageSource) => {
    let url: string;
    try {
      url = withoutQuery(raw);
    } catch {
      return;
    }
    if (!start.includes(url) && (!explore || !isCrawlable(url, origin))) return;
    const isNew = note(url, source);
    if (!isNew || queued.has(url)) return;
    if (queued.size >= limit) return void unchecked.push({ url, foundBy: source });
    queued.add(url);
    tasks.push(visit(url));
  };
  // A start page is loaded by the browser while the HTTP client fetches it (it may redirect
  // anywhere). A linked page is loaded once the HTTP client has seen it stay on the target's
  // origin: a link that redirects elsewhere is not the target, and the browser is not sent there.
  const visit = async (url: string): Promise<void> => {
    const isStart = start.includes(url);
    const browsing = isStart ? browse(url, null) : null;
    const page = await fetches(() => fetchPage(fetcher, url, isStart, found.get(url) ?? [], isStart ? null : origin));
    pages.push(page);
    if (explore) for (const link of page.refs.links) enqueue(link, "link");
    if (explore && !manifestRead) {
      const manifest = page.refs.assets.find((a) => /\/_buildManifest\.js$/.test(new URL(a.url).pathname));
      if (manifest) {
        manifestRead = true;
        tasks.push(readBuildManifest(fetcher, manifest.url, input.baseUrl).then((paths) => paths.forEach((p) => enqueue(p, "build-manifest"))));
      }
    }
    const seen = browsing ? await browsing : isContentPage(page) ? await browse(url, origin) : null;
    if (seen && explore && isContentPage(page)) for (const link of seen.renderedLinks) enqueue(link, "rendered-link");
  };
  // Pages that land on the same URL are reported once, under it (known once both the browser
  // and the HTTP client are done).
  const browse = async (url: string, stayOn: string | null): Promise<BrowserPage | null> => {
    const live = await browserReady;
    if ("unavailable" in live) return null;
    try {
      const { page, landed } = await live.visit(url, stayOn);
      visited.set(url, page);
      if (!visited.has(landed)) visited.set(landed, page);
      confirmations.push(live.confirmVitals(page, landed).catch(() => {}));
      return page;
    } catch {
      return null; // the browser went away (the run's deadline): the page is reported without it
    }
  };

  for (const url of start) {
    note(url, input.configured.length > 0 ? "configured" : "start");
    queued.add(url);
    tasks.push(visit(url));
  }
  let sitemapPages: number | null = null;
  if (explore) {
    tasks.push(
      readSitemap(fetcher, origin).then((urls) => {
        sitemapPages = urls === null ? null : urls.length;
        for (const url of urls ?? []) enqueue(url, "sitemap");
      }),
    );
  }
  // Tasks add tasks: wait until none is left.
  for (let done = 0; done < tasks.length; ) {
    const batch = tasks.slice(done);
    done = tasks.length;
    await Promise.all(batch);
  }

  const first = start[0];
  pages.sort((a, b) => (a.url === first ? -1 : b.url === first ? 1 : a.url.localeCompare(b.url)));
  for (const page of pages) page.foundBy = found.get(page.url) ?? page.foundBy;
  const live = await browserReady;
  const browser: BrowserReport =
    "unavailable" in live
      ? { available: false, reason: live.unavailable, pages: [], refused: [] }
      : { available: true, refused: live.refused, pages: browserView(pages, visited) };
  return { pages, unchecked, limit, sitemapPages, browser, vitalsConfirmed: Promise.all(confirmations).then(() => {}) };
}

/** The browser's page for each checked content page, under the URL it landed on, once. */
function browserView(pages: PageSnapshot[], visited: Map<string, BrowserPage>): BrowserPage[] {
  const byFinalUrl = new Map<string, BrowserPage>();
  for (const page of pages.filter(isContentPage)) {
    const seen = visited.get(page.finalUrl) ?? visited.get(page.url);
    // The same object, not a copy: confirmVitals may still set its LCP and CLS.
    if (seen && !byFinalUrl.has(page.finalUrl)) byFinalUrl.set(page.finalUrl, Object.assign(seen, { url: page.finalUrl }));
  }
  return [...byFinalUrl.values()];
}

/** The same-origin page URLs of /sitemap.xml (or the sitemaps robots.txt names), following one
 * level of sitemap index; null when there is no sitemap. */
async function readSitemap(fetcher: Fetcher, origin: string): Promise<string[] | null> {
  const locs = async (url: string): Promise<{ pages: string[]; sitemaps: string[] } | null> => {
    try {
      const res = await fetcher.get(url, { timeoutMs: 5_000 });
      if (res.status !== 200 || !/xml/.test(res.headers["content-type"] ?? "xml")) return null;
      return parseSitemap(res.body);
    } catch {
      return null;
    }
  };
  let named: string[] = [];
  try {
    const robots = await fetcher.get(`${origin}/robots.txt`, { timeoutMs: 5_000 });
    if (robots.status === 200) named = [...robots.body.matchAll(/^\s*sitemap:\s*(\S+)/gim)].map((m) => m[1] as string).filter((u) => URL.canParse(u) && new URL(u).origin === origin);
  } catch {
    // no robots.txt: the conventional place only
  }
  const roots = named.length > 0 ? named.slice(0, 5) : [`${origin}/sitemap.xml`];
  const read = (await Promise.all(roots.map(locs))).filter((r) => r !== null);
  if (read.length === 0) return null;
  const nested = await Promise.all(read.flatMap((r) => r.sitemaps).filter((u) => URL.canParse(u) && new URL(u).origin === origin).slice(0, 10).map(locs));
  const urls = [...read, ...nested].flatMap((r) => r?.pages ?? []);
  return [...new Set(urls)].filter((u) => URL.canParse(u) && new URL(u).origin === origin).slice(0, MAX_SITEMAP_URLS);
}

export function parseSitemap(xml: string): { pages: string[]; sitemaps: string[] } {
  const pages: string[] = [];
  const sitemaps: string[] = [];
  const stack: string[] = [];
  let text = "";
  const parser = new Parser(
    {
      onopentag(name) {
        stack.push(name.toLowerCase());
        text = "";
      },
      ontext(chunk) {
        text += chunk;
      },
      onclosetag() {
        const name = stack.pop();
        const parent = stack[stack.length - 1];
        if (name === "loc" && parent === "url") pages.push(text.trim());
        if (name === "loc" && parent === "sitemap") sitemaps.push(text.trim());
      },
    },
    { xmlMode: true },
  );
  parser.write(xml);
  parser.end();
  return { pages, sitemaps };
}

/** The static routes of Next.js's client build manifest (`sortedPages` of the Pages Router;
 * dynamic routes like /blog/[slug] have no URL to check). */
async function readBuildManifest(fetcher: Fetcher, url: string, baseUrl: string): Promise<string[]> {
  try {
    const res = await fetcher.get(url, { timeoutMs: 5_000 });
    if (res.status !== 200) return [];
    const sorted = /sortedPages\s*:\s*\[([^\]]*)\]/.exec(res.body)?.[1] ?? "";
    return [...sorted.matchAll(/"(\/[^"]*)"/g)]
      .map((m) => m[1] as string)
      .filter((p) => !p.includes("[") && !/^\/(_app|_error|404|500)$/.test(p))
      .map((p) => new URL(p, baseUrl).toString());
  } catch {
    return [];
  }
}
