// The pages as a real headless Chromium sees them: errors thrown or logged, failed requests,
// and Core Web Vitals (LCP, CLS) measured in the page with PerformanceObserver. The browser
// judges the page, not its certificate: net.tls_invalid reports that.
import type { Browser, Page } from "playwright-core";
import pLimit from "p-limit";
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

const SETTLE_MS = 3_000;
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

export async function visitPages(urls: string[], signal: AbortSignal, chromiumPath: string | null, fetcher: Fetcher): Promise<BrowserReport> {
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
    const limit = pLimit(4);
    const pages = await Promise.all(urls.map((url) => limit(() => visit(browser, url, fetcher))));
    return { available: true, pages };
  } finally {
    signal.removeEventListener("abort", closeOnAbort);
    await browser.close().catch(() => {});
  }
}

async function visit(browser: Browser, url: string, fetcher: Fetcher): Promise<BrowserPage> {
  const authenticated = fetcher.authenticates(url);
  // With credentials on board the certificate must verify; without, the page is judged anyway.
  const context = await browser.newContext({ ignoreHTTPSErrors: !authenticated });
  const result: BrowserPage = { url, pageErrors: [], consoleErrors: [], failedRequests: [], lcpMs: null, cls: 0, loadMs: 0 };
  const note = (list: string[], text: string) => list.length < MAX_MESSAGES && list.push(text.slice(0, 500));
  try {
    if (authenticated) {
      const origin = new URL(url).origin;
      await context.route((u) => u.origin === origin, (route) => route.continue({ headers: { ...route.request().headers(), ...fetcher.credentialsFor(route.request().url()) } }));
    }
    const page: Page = await context.newPage();
    await page.addInitScript(MEASURE);
    page.on("pageerror", (err) => note(result.pageErrors, err.message || String(err)));
    page.on("console", (msg) => {
      // A failed load is already a failed request; do not count it twice.
      if (msg.type() === "error" && !msg.text().startsWith("Failed to load resource")) note(result.consoleErrors, msg.text());
    });
    page.on("requestfailed", (req) => result.failedRequests.length < MAX_MESSAGES && result.failedRequests.push({ url: req.url(), failure: req.failure()?.errorText ?? "failed" }));
    page.on("response", (res) => {
      if (res.status() >= 400 && result.failedRequests.length < MAX_MESSAGES) result.failedRequests.push({ url: res.url(), failure: `HTTP ${res.status()}` });
    });
    const started = performance.now();
    await page.goto(url, { waitUntil: "load", timeout: 15_000 });
    result.loadMs = Math.round(performance.now() - started);
    await page.waitForLoadState("networkidle", { timeout: SETTLE_MS }).catch(() => {});
    const perf = await page.evaluate(() => (window as unknown as { __troubleshooter?: { lcp: number | null; cls: number } }).__troubleshooter ?? null);
    result.lcpMs = perf?.lcp == null ? null : Math.round(perf.lcp);
    result.cls = Math.round((perf?.cls ?? 0) * 1000) / 1000;
  } catch (err) {
    result.error = err instanceof Error ? err.message.split("\n")[0] : "the page could not be loaded";
  } finally {
    await context.close().catch(() => {});
  }
  return result;
}
