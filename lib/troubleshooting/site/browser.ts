// The pages as a real headless Chromium sees them: errors thrown or logged, the requests each
// page makes and their answers, the links it renders after hydration, and Core Web Vitals (LCP,
// CLS) measured in the page with PerformanceObserver, confirmed by loading again when they look
// poor. Every request the browser makes passes the probes' address policy, and credentials ride
// only on requests to the target's own origin over verified TLS (browser-route.ts).
import type { Browser, BrowserContext, Page } from "playwright-core";
import { chromiumLaunch } from "./chromium";
import { type BrowserRouting, routeBrowser } from "./browser-route";
import { type PolicyProxy, startPolicyProxy } from "./browser-proxy";

export interface BrowserRequest {
  url: string;
  method: string;
  /** Chromium's resource type: document, script, stylesheet, image, fetch, xhr, … */
  resourceType: string;
  status?: number;
  contentType?: string;
  /** Chromium's error text when the request failed without an answer. */
  failure?: string;
}

export interface BrowserPage {
  url: string;
  /** Uncaught exceptions and unhandled rejections. */
  pageErrors: string[];
  consoleErrors: string[];
  failedRequests: { url: string; failure: string }[];
  /** The requests the page made while loading (documents, scripts, styles, fetch/xhr; at most 200). */
  requests: BrowserRequest[];
  /** Absolute URLs of the `<a href>` links in the rendered page, after hydration. */
  renderedLinks: string[];
  /** Median LCP of the loads, ms (null when the page painted nothing measurable). */
  lcpMs: number | null;
  /** Median CLS of the loads. */
  cls: number;
  /** LCP and CLS of each load: one, or three when the first looked poor. */
  lcpSamplesMs: (number | null)[];
  clsSamples: number[];
  loadMs: number;
  /** The load went past PAGE_MAX_BYTES (bytes received across its responses, as Chromium counts
   * them, or one credentialed answer alone): it was stopped there. What it did before is kept. */
  tooHeavy?: { bytes: number; limitBytes: number };
  error?: string;
}

export interface BrowserReport {
  available: boolean;
  reason?: string;
  pages: BrowserPage[];
  /** Requests the address policy refused, with the policy's reason. */
  refused: { url: string; reason: string }[];
}

export interface BrowserSession {
  /** Loads the page in a free tab (at most TABS at once). With `stayOn` (an origin), a page that
   * navigates to another origin is not judged: its view is an error saying where it went. */
  visit(url: string, stayOn?: string | null): Promise<{ page: BrowserPage; landed: string }>;
  /** When the page's first load looked poor (LCP or CLS past Google's "good" limit), loads it
   * CONFIRM_LOADS more times, in free tabs, and sets its LCP and CLS to the median of the loads:
   * one load can be slow for reasons of the prober's own (a busy CPU, Chromium warming up). */
  confirmVitals(page: BrowserPage, url: string): Promise<void>;
  close(): Promise<void>;
  refused: BrowserReport["refused"];
}

/** After the load event, wait for the network to be quiet this long (late errors, shifts and
 * hydration), but never longer than SETTLE_MS. */
const QUIET_MS = 250;
const SETTLE_MS = 3_000;
const TABS = 4;
const MAX_MESSAGES = 20;
const MAX_REQUESTS = 200;
/** Loads that confirm a poor first measurement (Google's "good" limits: LCP 2.5 s, CLS 0.1). */
const CONFIRM_LOADS = 2;
/** What one load of a page may receive, all responses together, before it is stopped (a page
 * must not make Chromium hold gigabytes: its memory grows with what the page loads). Far above
 * web.page_weight's "high" (5 MiB). */
export const PAGE_MAX_BYTES = 24 * 1024 * 1024;
/** A load that has not ended (load event, then a quiet network) by then is stopped: the goto's
 * timeout and the settling together. */
const LOAD_TIMEOUT_MS = 15_000;
const CONFIRM_ABOVE = { lcpMs: 2_500, cls: 0.1 };

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

/** Starts Chromium, or says why it cannot. The session closes when `signal` aborts. */
export async function openBrowserSession(signal: AbortSignal, chromiumPath: string | null, routing: BrowserRouting): Promise<BrowserSession | { unavailable: string }> {
  const refused: BrowserReport["refused"] = [];
  let browser: Browser;
  let proxy: PolicyProxy | null = null;
  try {
    const { chromium } = await import("playwright-core");
    const launch = await chromiumLaunch(chromiumPath);
    // Every connection the browser opens passes the address policy there (browser-proxy.ts).
    proxy = await startPolicyProxy(refused);
    browser = await chromium.launch({ ...launch, headless: true, timeout: 15_000, proxy: { server: proxy.server } });
  } catch (err) {
    await proxy?.close();
    return { unavailable: `Chromium could not start (${err instanceof Error ? err.message.split("\n")[0] : "error"})` };
  }
  const shut = async () => {
    await browser.close().catch(() => {});
    await proxy?.close();
  };
  const closeOnAbort = () => void shut();
  signal.addEventListener("abort", closeOnAbort, { once: true });
  let context: Promise<BrowserContext> | null = null;
  const free: Tab[] = [];
  let open = 0;
  const waiting: ((tab: Tab) => void)[] = [];
  const take = async (): Promise<Tab> => {
    const idle = free.pop();
    if (idle) return idle;
    if (open < TABS) {
      open++;
      context ??= openContext(browser, routing, refused);
      return openTab(await context);
    }
    return new Promise((resolve) => waiting.push(resolve));
  };
  const give = (tab: Tab) => {
    const next = waiting.shift();
    if (next) next(tab);
    else free.push(tab);
  };
  const inTab = async <T>(work: (tab: Tab) => Promise<T>): Promise<T> => {
    const tab = await take();
    try {
      return await work(tab);
    } finally {
      give(tab);
    }
  };
  return {
    refused,
    visit: (url, stayOn = null) => inTab((tab) => tab.visit(url, stayOn)),
    async confirmVitals(page, url) {
      if (page.error || page.tooHeavy || !((page.lcpMs ?? 0) > CONFIRM_ABOVE.lcpMs || page.cls > CONFIRM_ABOVE.cls)) return;
      const again = await Promise.all(Array.from({ length: CONFIRM_LOADS }, () => inTab((tab) => tab.measure(url))));
      for (const load of again) {
        if (!load) continue;
        page.lcpSamplesMs.push(load.lcpMs);
        page.clsSamples.push(load.cls);
      }
      page.lcpMs = median(page.lcpSamplesMs.filter((v): v is number => v !== null));
      page.cls = median(page.clsSamples) ?? 0;
    },
    async close() {
      signal.removeEventListener("abort", closeOnAbort);
      await shut();
    },
  };
}

/** The browser does not judge certificates (net.tls_invalid reports them, for every origin the
 * pages load from); requests carrying credentials are made by browser-route.ts, which does. */
async function openContext(browser: Browser, routing: BrowserRouting, refused: BrowserReport["refused"]): Promise<BrowserContext> {
  const context = await browser.newContext({ ignoreHTTPSErrors: true, serviceWorkers: "block" });
  await routeBrowser(context, { ...routing, maxBodyBytes: PAGE_MAX_BYTES, overweight: (page, bytes) => overweight.get(page)?.(bytes) }, refused);
  return context;
}

/** Per page, what to do when the router finds an answer over the limit (set by its tab). */
const overweight = new WeakMap<Page, (bytes: number) => void>();

interface Tab {
  visit(url: string, stayOn: string | null): Promise<{ page: BrowserPage; landed: string }>;
  /** One more load, for its LCP and CLS only (null when it failed). */
  measure(url: string): Promise<{ lcpMs: number | null; cls: number } | null>;
}

async function openTab(context: BrowserContext): Promise<Tab> {
  const page: Page = await context.newPage();
  await page.addInitScript(MEASURE);
  let current: BrowserPage = emptyPage("");
  let inFlight = 0;
  let lastActivity = performance.now();
  // Bytes Chromium receives for this tab's current load, counted as they arrive.
  let received = 0;
  const cdp = await context.newCDPSession(page);
  // Only for the counting events: this session keeps no response bodies.
  await cdp.send("Network.enable", { maxTotalBufferSize: 1024, maxResourceBufferSize: 1024 });
  const tooHeavy = (bytes: number) => {
    if (current.tooHeavy) return;
    current.tooHeavy = { bytes, limitBytes: PAGE_MAX_BYTES };
    // Leaving the page cancels every request it has in flight.
    void page.goto("about:blank").catch(() => {});
  };
  cdp.on("Network.dataReceived", (event) => {
    received += Math.max(event.dataLength, event.encodedDataLength);
    if (received > PAGE_MAX_BYTES) tooHeavy(received);
  });
  overweight.set(page, (bytes) => tooHeavy(received + bytes));
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
    if (failure.includes("ERR_ABORTED")) return; // cancelled on purpose, not a failure
    failed(req.url(), failure);
    if (current.requests.length < MAX_REQUESTS) current.requests.push({ url: req.url(), method: req.method(), resourceType: req.resourceType(), failure });
  });
  page.on("response", (res) => {
    if (res.status() >= 400) failed(res.url(), `HTTP ${res.status()}`);
    const req = res.request();
    if (current.requests.length < MAX_REQUESTS && /^https?:/.test(res.url())) {
      current.requests.push({ url: res.url(), method: req.method(), resourceType: req.resourceType(), status: res.status(), contentType: res.headers()["content-type"] });
    }
  });
  // After a load that failed or was stopped, the page may still be receiving (a body that never
  // ends, a stream): leave it, so that nothing of it goes on while the tab waits.
  const settleAway = () => page.goto("about:blank", { timeout: 5_000 }).then(() => {}, () => {});
  const load = async (url: string): Promise<{ lcpMs: number | null; cls: number; loadMs: number }> => {
    inFlight = 0;
    received = 0;
    const started = performance.now();
    await page.goto(url, { waitUntil: "load", timeout: LOAD_TIMEOUT_MS });
    const loadMs = Math.round(performance.now() - started);
    const loaded = performance.now();
    while (!current.tooHeavy && performance.now() - loaded < SETTLE_MS && !(inFlight <= 0 && performance.now() - lastActivity >= QUIET_MS)) await sleep(50);
    if (current.tooHeavy) throw new Error("stopped: too heavy");
    const perf = await page.evaluate(() => (window as unknown as { __troubleshooter?: { lcp: number | null; cls: number } }).__troubleshooter ?? null);
    return { lcpMs: perf?.lcp == null ? null : Math.round(perf.lcp), cls: Math.round((perf?.cls ?? 0) * 1000) / 1000, loadMs };
  };
  return {
    async visit(url, stayOn) {
      current = emptyPage(url);
      let landed = url;
      try {
        const first = await load(url);
        landed = page.url();
        if (stayOn && /^https?:/.test(landed) && new URL(landed).origin !== stayOn) {
          current.error = `the page left the target for ${new URL(landed).origin}`;
          return { page: current, landed: url };
        }
        Object.assign(current, { loadMs: first.loadMs, lcpMs: first.lcpMs, cls: first.cls, lcpSamplesMs: [first.lcpMs], clsSamples: [first.cls] });
        current.renderedLinks = await page.evaluate(() => [...document.querySelectorAll("a[href]")].map((a) => (a as HTMLAnchorElement).href).filter((href) => /^https?:/.test(href)));
      } catch (err) {
        // A page stopped for its weight is reported as that (web.page_weight), with what it did
        // before; the stop itself is no error of the page.
        if (!current.tooHeavy) current.error = err instanceof Error ? err.message.split("\n")[0] : "the page could not be loaded";
        await settleAway();
      }
      return { page: current, landed };
    },
    async measure(url) {
      current = emptyPage(url); // what this load logs or requests was reported by the visit
      try {
        return await load(url);
      } catch {
        await settleAway();
        return null;
      }
    },
  };
}

function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)] ?? null;
}

const emptyPage = (url: string): BrowserPage => ({
  url,
  pageErrors: [],
  consoleErrors: [],
  failedRequests: [],
  requests: [],
  renderedLinks: [],
  lcpMs: null,
  cls: 0,
  lcpSamplesMs: [],
  clsSamples: [],
  loadMs: 0,
});
