// One probe of the target per run, shared by the web and network bots (shared-probe.ts): the
// discovery of the pages (with the browser's visits), assets, links, API endpoints, endpoint
// samples and TLS inspections are each done once, on first use, and shared by every check that
// reads them.
import { setMaxListeners } from "node:events";
import type { Target } from "../catalogue";
import { type Credentials, bindCredentials } from "./credentials";
import type { PageSnapshot } from "./crawl";
import { isContentPage, withoutHash } from "./crawl";
import { type ApiEndpoint, baseEndpoint, configuredEndpoints, mergeEndpoints, takesGet } from "./endpoints";
import { type EndpointSamples, type SamplingPlan, sampleEndpoint } from "./sampling";
import { type Fetcher, createFetcher } from "./fetcher";
import { type AssetSnapshot, type LinkSnapshot, checkLinks, fetchAssets } from "./resources";
import { type BrowserReport, type BrowserSession, openBrowserSession } from "./browser";
import { type Discovery, discover } from "./discovery";
import { wholePaths } from "./api-refs";
import { type HttpResult, describeHttpError } from "../probes/http";
import type { Paused } from "../probes/resilience";
import { type TlsReport, inspectTls } from "../probes/tls";

/** The certificate of one https origin, and who uses it. */
export type OriginTls = (TlsReport | { origin: string; error: string }) & {
  /** The target's own origin (the base URL or one of its endpoints), not a third party. */
  own: boolean;
  /** The checked pages that load scripts, styles or data from it (third parties; at most 10). */
  usedBy: string[];
};

/** What anyone on the internet gets for a URL: the answer (body kept up to 512 KiB), or why none. */
export type AnonymousAnswer = { url: string; res: HttpResult; error?: undefined } | { url: string; res?: undefined; error: string };

export interface SiteProbe {
  fetcher: Fetcher;
  /** One GET of `url` without credentials, once per run whoever asks (the exposure checks read the
   * same URLs: a second GET would only load the target, and spend a flaky endpoint's failures).
   * Redirects are followed as a browser would when `followRedirects`. Only GET: never a write. */
  anonymous(url: string, options?: { followRedirects?: boolean }): Promise<AnonymousAnswer>;
  /** Which pages were found, how, and which were checked. */
  discovery(): Promise<Discovery>;
  pages(): Promise<PageSnapshot[]>;
  assets(): Promise<AssetSnapshot[]>;
  links(): Promise<LinkSnapshot[]>;
  /** The endpoints to judge: configured, preset ones the target serves, and those its pages use. */
  endpoints(): Promise<ApiEndpoint[]>;
  /** Samples of the endpoints that take GET. */
  endpointSamples(plan: SamplingPlan): Promise<EndpointSamples[]>;
  browser(): Promise<BrowserReport>;
  /** The certificate of each https origin: the base URL, the endpoints, and what the pages load. */
  tls(): Promise<OriginTls[]>;
}

export interface SiteProbeOptions {
  /** The configured credentials; they are bound to the run's own base URL here. */
  credentials?: Credentials | null;
  chromiumPath?: string | null;
  /** Judge exactly these endpoints, as an earlier probe found them (verification re-checking the
   * subjects of its issues): `endpoints()` neither crawls, browses nor asks the presets again.
   * Pages, assets, links, the browser and TLS are still found on first use. */
  endpoints?: ApiEndpoint[];
}

const DEFAULT_CRAWL_LIMIT = 20;
/** Bounds one anonymous request (a sample's bound: a slow endpoint is net.high_latency's). */
export const ANONYMOUS_TIMEOUT_MS = 5_000;
const DATA_REQUESTS = new Set(["fetch", "xhr"]);
const LOADED_FROM = new Set(["script", "stylesheet", "fetch", "xhr", "font"]);

export function createSiteProbe(target: Target, signal: AbortSignal, options: SiteProbeOptions = {}): SiteProbe {
  setMaxListeners(500, signal); // every concurrent request of the run listens for its end
  const origin = new URL(target.baseUrl).origin;
  const credentials = bindCredentials(options.credentials, target.baseUrl);
  const fetcher = createFetcher(signal, credentials, target.caCertificates ?? null);
  const memo = new Map<string, Promise<unknown>>();
  const once = <T>(key: string, work: () => Promise<T>): Promise<T> => {
    if (!memo.has(key)) memo.set(key, work());
    return memo.get(key) as Promise<T>;
  };
  const browserSession = (): Promise<BrowserSession | { unavailable: string }> =>
    target.browser ? openBrowserSession(signal, options.chromiumPath ?? null, { fetcher, ca: target.caCertificates ?? null }) : Promise.resolve({ unavailable: "browser checks are disabled for this run" });
  const probe: SiteProbe = {
    fetcher,
    anonymous: (url, { followRedirects = false } = {}) =>
      once(`anonymous:${followRedirects}:${url}`, () =>
        fetcher.get(url, { anonymous: true, followRedirects, method: "GET", retry: false, timeoutMs: ANONYMOUS_TIMEOUT_MS }).then(
          (res): AnonymousAnswer => ({ url, res }),
          (err): AnonymousAnswer => ({ url, error: describeHttpError(err) }),
        ),
      ),
    discovery: () =>
      once("discovery", async () => {
        const session = browserSession();
        const closeSession = async () => {
          const live = await session;
          if (!("unavailable" in live)) await live.close();
        };
        try {
          const found = await discover({ baseUrl: target.baseUrl, configured: target.pages ?? [], limit: target.crawlLimit ?? DEFAULT_CRAWL_LIMIT, fetcher, browser: session });
          void found.vitalsConfirmed.finally(closeSession);
          return found;
        } catch (err) {
          await closeSession();
          throw err;
        }
      }),
    pages: async () => (await probe.discovery()).pages,
    // The browser's view with its Web Vitals confirmed; what pages requested is known before.
    browser: async () => {
      const found = await probe.discovery();
      await found.vitalsConfirmed;
      return found.browser;
    },
    assets: () => once("assets", async () => fetchAssets(fetcher, (await probe.pages()).filter(isContentPage))),
    links: () => once("links", async () => checkLinks(fetcher, await probe.pages(), origin)),
    endpoints: () =>
      once("endpoints", async () => {
        if (options.endpoints) return options.endpoints;
        const [assets, { browser }] = await Promise.all([probe.assets(), probe.discovery()]);
        const referenced = wholePaths([...new Set(assets.flatMap((a) => a.apiPaths))]);
        const fromScripts = referenced.map((path) => ({
          url: new URL(path, origin).toString(),
          sources: ["script" as const],
          requestedBy: [],
          referencedBy: assets.filter((a) => a.apiPaths.includes(path)).flatMap((a) => a.pages),
          methods: [],
        }));
        const fromBrowser = browser.pages.flatMap((page) =>
          page.requests
            .filter((r) => DATA_REQUESTS.has(r.resourceType) && new URL(r.url).origin === origin && new URL(r.url).pathname.startsWith("/api/"))
            .map((r) => ({ url: withoutHash(r.url), sources: ["browser" as const], requestedBy: [page.url], referencedBy: [], methods: [r.method] })),
        );
        const all = mergeEndpoints(configuredEndpoints(target), fromScripts, fromBrowser);
        const served = await Promise.all(all.map(async (e) => (e.sources.every((s) => s === "preset") ? ((await presetServed(fetcher, e.url)) ? e : null) : e)));
        const endpoints = served.filter((e): e is ApiEndpoint => e !== null);
        return endpoints.length > 0 ? endpoints : [baseEndpoint(target)];
      }),
    endpointSamples: (plan) =>
      once(`samples:${plan.samples}:${plan.timeoutMs}:${plan.budgetMs}`, async () => {
        const sample = (url: string) => once(`sample:${plan.samples}:${plan.timeoutMs}:${plan.budgetMs}:${url}`, () => sampleEndpoint(fetcher, url, plan, fetcher.authenticates(url)));
        // The endpoints the target names are known before its pages are crawled and browsed (4-5 s
        // on a broken site): their sampling starts now. Those the pages use join when found.
        for (const e of knownEndpoints(target, options)) void sample(e.url).catch(() => {});
        const endpoints = (await probe.endpoints()).filter(takesGet);
        return Promise.all(endpoints.map((e) => sample(e.url)));
      }),
    tls: () =>
      once("tls", async () => {
        const [endpoints, assets, { browser }] = await Promise.all([probe.endpoints(), probe.assets(), probe.discovery()]);
        const own = new Set([origin, ...endpoints.map((e) => new URL(e.url).origin)]);
        const usedBy = new Map<string, Set<string>>();
        const use = (url: string, page: string) => {
          const o = new URL(url).origin;
          if (own.has(o)) return;
          if (!usedBy.has(o)) usedBy.set(o, new Set());
          usedBy.get(o)?.add(page);
        };
        for (const a of assets) if (a.kind === "script" || a.kind === "stylesheet") for (const page of a.pages) use(a.url, page);
        for (const page of browser.pages) for (const r of page.requests) if (LOADED_FROM.has(r.resourceType)) use(r.url, page.url);
        const origins = [...own, ...usedBy.keys()].filter((o) => o.startsWith("https:"));
        return Promise.all(
          origins.map(async (o): Promise<OriginTls> => {
            const extra = { own: own.has(o), usedBy: [...(usedBy.get(o) ?? [])].slice(0, 10) };
            try {
              return { ...(await inspectTls(o, signal, target.caCertificates ?? null)), ...extra };
            } catch (err) {
              return { origin: o, error: describeHttpError(err), ...extra };
            }
          }),
        );
      }),
  };
  return probe;
}

/** The endpoints to judge that are known without looking at the site: those verification scoped
 * the probe to, else the configured ones (not presets: the target may not serve those). */
function knownEndpoints(target: Target, options: SiteProbeOptions): ApiEndpoint[] {
  return (options.endpoints ?? configuredEndpoints(target).filter((e) => !e.sources.every((s) => s === "preset"))).filter(takesGet);
}

/** A preset names a route the target may not have: one it answers 404 or 410 to is not there. */
async function presetServed(fetcher: Fetcher, url: string): Promise<boolean> {
  try {
    const res = await fetcher.get(url, { readBody: false, followRedirects: false, retry: false, timeoutMs: 5_000 });
    return res.status !== 404 && res.status !== 410;
  } catch {
    return true; // no answer is the endpoint checks' to report
  }
}


/** The same probe, every shared (memoised) piece awaited through `wait`; the fetcher, which does
 * the caller's own requests, as it is. */
export function waitingThrough(probe: SiteProbe, wait: Paused): SiteProbe {
  return {
    fetcher: probe.fetcher,
    anonymous: (url, options) => wait(probe.anonymous(url, options)),
    discovery: () => wait(probe.discovery()),
    pages: () => wait(probe.pages()),
    assets: () => wait(probe.assets()),
    links: () => wait(probe.links()),
    endpoints: () => wait(probe.endpoints()),
    endpointSamples: (plan) => wait(probe.endpointSamples(plan)),
    browser: () => wait(probe.browser()),
    tls: () => wait(probe.tls()),
  };
}
