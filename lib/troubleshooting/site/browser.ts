// The pages as a real headless Chromium sees them: errors thrown or logged, failed requests,
// and Core Web Vitals (LCP, CLS) measured in the page with PerformanceObserver. The browser
// judges the page, not its certificate: net.tls_invalid reports that.
import type { Browser, BrowserContext, Page } from "playwright-core";
import { chromiumLaunch } from "./chromium";
import type { Fetcher } from "./fetcher";

export interface BrowserPage {
  url: string;
  /** Uncaught exceptions and unhandled rejections. */
  pageErrors: string[];
  consoleErrors: string[];
  failedRequests: { url: string; failure: string }[];
  lcpMs: number | null;
  cls: number;
  loadMs: number;
  error?: string;
}

export interface BrowserReport {
  available: boolean;
  reason?: string;
  pages: BrowserPage[];
}

/** After the load event, wait for the network to be quiet this long (late errors, shifts and
 * hydration), but never longer than SETTLE_MS. */
const QUIET_MS = 250;
const SETTLE_MS = 3_000;
const TABS = 4;
const MAX_MESSAGES = 20;

const MEASURE = `(() => {
  const perf = (window.__troubleshooter = { lcp: null, cls: 0 });
  try {
    new PerformanceObserver((list) => { for (const e of list.getEntries()) perf.lcp = e.renderTime || e.loadTime || e.startTime; })
      .observe({ type: "largest-contentful-paint", buffered: true });
    new PerformanceObserver((list) => { for (const e of list.getEntries()) if (!e.hadRecentInput) perf.cls += e.value; })
      .observe({ type: "layout-shift", buffered: true });
  } catch {}
})();`;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Visits the pages `listed` resolves to (by their final URL) and reports them in that order.
 * `early` pages (the base URL) are visited at once, before the list is known, and reported only
 * if it lists them: a slow home page then loads in the browser while the crawl that makes the list
 * is still fetching it, rather than twice in a row. */
export async function visitPages(early: string[], listed: Promise<{ url: string; finalUrl: string }[]>, signal: AbortSignal, chromiumPath: string | null, fetcher: Fetcher): Promise<BrowserReport> {
  let browser: Browser;
  try {
    const { chromium } = await import("playwright-core");
    const launch = await chromiumLaunch(chromiumPath);
    browser = await chromium.launch({ ...launch, headless: true, timeout: 15_000 });
  } catch (err) {
    return { available: false, reason: `Chromium could not start (${err instanceof Error ? err.message.split("\n")[0] : "error"})`, pages: [] };
  }
  const closeOnAbort = () => void browser.close().catch(() => {});
  signal.addEventListener("abort", closeOnAbort, { once: true });
  try {
    const queue = [...early];
    const taken = new Set<string>();
    const visited = new Map<string, BrowserPage>(); // by the URL asked for and the one landed on
    const pages = listed.catch((): { url: string; finalUrl: string }[] => []);
    const arrival = pages.then((list) => {
      if (list.length === 0) closeOnAbort(); // nothing to report (the site is down): stop the early visit
      // The crawl met the same redirects: where an early URL lands is being visited already.
      for (const page of list) if (early.includes(page.url)) taken.add(page.finalUrl);
      queue.push(...list.map((page) => page.finalUrl).filter((url) => !taken.has(url) && !queue.includes(url)));
    });
    const next = async () => {
      if (queue.length === 0) await arrival;
      const url = queue.shift();
      if (url !== undefined) taken.add(url);
      return url;
    };
    // A few tabs, each reused for page after page: opening a tab costs more than loading a page.
    // A tab opens only once there is a page for it.
    await Promise.all(
      Array.from({ length: TABS }, async () => {
        let url = await next();
        if (url === undefined) return;
        const context = await openContext(browser, early, fetcher);
        try {
          const tab = await openTab(context);
          for (; url !== undefined && !signal.aborted; url = await next()) {
            const { page, landed } = await tab.visit(url);
            visited.set(url, page);
            if (!visited.has(landed)) visited.set(landed, page);
          }
        } finally {
          await context.close().catch(() => {});
        }
      }),
    );
    // A page under its final URL, or (landed elsewhere than the crawl) under the URL asked for.
    const report = (await pages).flatMap(({ url, finalUrl }) => {
      const page = visited.get(finalUrl) ?? visited.get(url);
      return page ? [{ ...page, url: finalUrl }] : [];
    });
    return { available: true, pages: report };
  } finally {
    signal.removeEventListener("abort", closeOnAbort);
    await browser.close().catch(() => {});
  }
}

/** With credentials on board the certificate must verify; without, the page is judged anyway.
 * Credentials ride only on requests to their own origin. */
async function openContext(browser: Browser, urls: string[], fetcher: Fetcher): Promise<BrowserContext> {
  const authenticated = urls.some((url) => fetcher.authenticates(url));
  const context = await browser.newContext({ ignoreHTTPSErrors: !authenticated });
  if (authenticated) {
    await context.route(
      (u) => fetcher.authenticates(u.toString()),
      (route) => route.continue({ headers: { ...route.request().headers(), ...fetcher.credentialsFor(route.request().url()) } }),
    );
  }
  return context;
}

async function openTab(context: BrowserContext): Promise<{ visit(url: string): Promise<{ page: BrowserPage; landed: string }> }> {
  const page: Page = await context.newPage();
  await page.addInitScript(MEASURE);
  let current: BrowserPage = emptyPage("");
  let inFlight = 0;
  let lastActivity = performance.now();
  const note = (list: string[], text: string) => list.length < MAX_MESSAGES && list.push(text.slice(0, 500));
  const failed = (url: string, failure: string) => current.failedRequests.length < MAX_MESSAGES && current.failedRequests.push({ url, failure });
  const activity = (delta: number) => () => {
    inFlight += delta;
    lastActivity = performance.now();
  };
  page.on("pageerror", (err) => note(current.pageErrors, err.message || String(err)));
  page.on("console", (msg) => {
    // A failed load is already a failed request; do not count it twice.
    if (msg.type() === "error" && !msg.text().startsWith("Failed to load resource")) note(current.consoleErrors, msg.text());
  });
  page.on("request", activity(1));
  page.on("requestfinished", activity(-1));
  page.on("requestfailed", (req) => {
    activity(-1)();
    const failure = req.failure()?.errorText ?? "failed";
    if (!failure.includes("ERR_ABORTED")) failed(req.url(), failure); // cancelled on purpose, not a failure
  });
  page.on("response", (res) => {
    if (res.status() >= 400) failed(res.url(), `HTTP ${res.status()}`);
  });
  return {
    async visit(url) {
      current = emptyPage(url);
      inFlight = 0;
      try {
        const started = performance.now();
        await page.goto(url, { waitUntil: "load", timeout: 15_000 });
        current.loadMs = Math.round(performance.now() - started);
        const loaded = performance.now();
        while (performance.now() - loaded < SETTLE_MS && !(inFlight <= 0 && performance.now() - lastActivity >= QUIET_MS)) await sleep(50);
        const perf = await page.evaluate(() => (window as unknown as { __troubleshooter?: { lcp: number | null; cls: number } }).__troubleshooter ?? null);
        current.lcpMs = perf?.lcp == null ? null : Math.round(perf.lcp);
        current.cls = Math.round((perf?.cls ?? 0) * 1000) / 1000;
      } catch (err) {
        current.error = err instanceof Error ? err.message.split("\n")[0] : "the page could not be loaded";
      }
      return { page: current, landed: page.url() };
    },
  };
}

const emptyPage = (url: string): BrowserPage => ({ url, pageErrors: [], consoleErrors: [], failedRequests: [], lcpMs: null, cls: 0, loadMs: 0 });
