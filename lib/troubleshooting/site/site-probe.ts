// One probe of the target per bot run: the crawl, assets, links, endpoint samples and browser
// visits are each done once, on first use, and shared by every check that reads them.
import { setMaxListeners } from "node:events";
import type { Target } from "../catalogue";
import type { Credentials } from "./credentials";
import { type PageSnapshot, crawl, isContentPage } from "./crawl";
import { type EndpointSamples, type SamplingPlan, endpointsOf, sampleEndpoint } from "./endpoints";
import { type Fetcher, createFetcher } from "./fetcher";
import { type AssetSnapshot, type LinkSnapshot, checkLinks, fetchAssets } from "./resources";
import { type BrowserReport, visitPages } from "./browser";
import { describeHttpError } from "../probes/http";
import type { Paused } from "../probes/resilience";
import { type TlsReport, inspectTls } from "../probes/tls";

export interface SiteProbe {
  fetcher: Fetcher;
  pages(): Promise<PageSnapshot[]>;
  assets(): Promise<AssetSnapshot[]>;
  links(): Promise<LinkSnapshot[]>;
  endpointSamples(plan: SamplingPlan): Promise<EndpointSamples[]>;
  browser(): Promise<BrowserReport>;
  /** The certificate of each https origin among the base URL and the endpoints. */
  tls(): Promise<(TlsReport | { origin: string; error: string })[]>;
}

export interface SiteProbeOptions {
  credentials?: Credentials | null;
  chromiumPath?: string | null;
}

const DEFAULT_CRAWL_LIMIT = 20;

export function createSiteProbe(target: Target, signal: AbortSignal, options: SiteProbeOptions = {}): SiteProbe {
  setMaxListeners(500, signal); // every concurrent request of the run listens for its end
  const fetcher = createFetcher(signal, options.credentials ?? null, target.caCertificates ?? null);
  const memo = new Map<string, Promise<unknown>>();
  const once = <T>(key: string, work: () => Promise<T>): Promise<T> => {
    if (!memo.has(key)) memo.set(key, work());
    return memo.get(key) as Promise<T>;
  };
  const probe: SiteProbe = {
    fetcher,
    pages: () => once("pages", () => crawl(fetcher, target.baseUrl, target.pages ?? [], target.crawlLimit ?? DEFAULT_CRAWL_LIMIT)),
    assets: () => once("assets", async () => fetchAssets(fetcher, await okPages(probe))),
    links: () => once("links", async () => checkLinks(fetcher, await probe.pages(), new URL(target.baseUrl).origin)),
    endpointSamples: (plan) =>
      once(`samples:${plan.samples}:${plan.timeoutMs}:${plan.budgetMs}`, () =>
        Promise.all(endpointsOf(target).map((url) => sampleEndpoint(fetcher, url, plan, fetcher.authenticates(url)))),
      ),
    browser: () =>
      once("browser", async () => {
        if (!target.browser) return { available: false, reason: "browser checks are disabled for this run", pages: [] };
        const listed = okPages(probe);
        const report = await visitPages([new URL(target.baseUrl).toString()], listed, signal, options.chromiumPath ?? null, fetcher);
        await listed; // a crawl that failed fails the browser checks too, as before
        return report;
      }),
    tls: () =>
      once("tls", () => {
        const origins = [...new Set([target.baseUrl, ...target.endpoints].map((u) => new URL(u).origin))].filter((o) => o.startsWith("https:"));
        return Promise.all(
          origins.map((origin) => inspectTls(origin, signal, target.caCertificates ?? null).catch((err: unknown) => ({ origin, error: describeHttpError(err) }))),
        );
      }),
  };
  return probe;
}

async function okPages(probe: SiteProbe): Promise<PageSnapshot[]> {
  return (await probe.pages()).filter(isContentPage);
}

/** The same probe, every shared (memoised) piece awaited through `wait`; the fetcher, which does
 * the caller's own requests, as it is. */
export function waitingThrough(probe: SiteProbe, wait: Paused): SiteProbe {
  return {
    fetcher: probe.fetcher,
    pages: () => wait(probe.pages()),
    assets: () => wait(probe.assets()),
    links: () => wait(probe.links()),
    endpointSamples: (plan) => wait(probe.endpointSamples(plan)),
    browser: () => wait(probe.browser()),
    tls: () => wait(probe.tls()),
  };
}
