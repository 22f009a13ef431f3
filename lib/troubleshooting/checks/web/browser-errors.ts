// Browser-level checks that read the pages' errors (one visit per page, shared). One cause is one
// issue: the same error or the same failing resource on many pages is reported once, listing
// the pages, and a message that only repeats a cause another check names is not reported again
// (browser-echoes.ts).
import type { Check, IssueDraft } from "../../catalogue";
import type { BrowserPage, BrowserRequest } from "../../site/browser";
import { outcome } from "../outcome";
import { isEcho, ownScriptsRefused } from "./browser-echoes";
import { clip, pagesText } from "./content";
import { failureSeverity, onVercel, platformFailure, roleOf, thirdPartyFailure } from "./resource-roles";
import { browserPages, pathOf } from "./shared";

/** React's hydration mismatch, in development wording and as production error codes
 * (#418 text, #419/#422/#423 recovery, #425 text content). */
const HYDRATION = /hydrat|Minified React error #(418|419|422|423|425)\b|react\.dev\/errors\/(418|419|422|423|425)\b/i;

const MAX_PAGES = 20;

/** Messages grouped by the set of pages they occur on: an error of the root layout is one issue
 * for every page, a page's own error another. */
function byPages(entries: { page: string; message: string; uncaught: boolean }[]): { pages: string[]; uncaught: string[]; logged: string[] }[] {
  const pagesOf = new Map<string, { pages: Set<string>; uncaught: boolean }>();
  for (const e of entries) {
    const key = `${e.uncaught ? "u" : "c"}:${e.message}`;
    const known = pagesOf.get(key) ?? { pages: new Set<string>(), uncaught: e.uncaught };
    known.pages.add(e.page);
    pagesOf.set(key, known);
  }
  const groups = new Map<string, { pages: string[]; uncaught: string[]; logged: string[] }>();
  for (const [key, { pages, uncaught }] of pagesOf) {
    const list = [...pages];
    const id = list.join("\n");
    const group = groups.get(id) ?? { pages: list, uncaught: [], logged: [] };
    (uncaught ? group.uncaught : group.logged).push(key.slice(2));
    groups.set(id, group);
  }
  return [...groups.values()];
}

/** One page: its URL; several: the first message (stable while the error stays the same). */
const groupSubject = (pages: string[], first: string) => (pages.length === 1 ? (pages[0] as string) : `browser error: ${clip(first, 200)}`);

/** The browser's own words, kept short and printable. */
const MESSAGE_CHARS = 300;
const messages = (list: string[]) => list.map((m) => clip(m, MESSAGE_CHARS));

export const webConsoleErrors: Check = {
  code: "web.console_errors",
  domain: "web",
  title: "Errors in the browser console",
  description:
    "In a real headless Chromium, pages must not throw uncaught exceptions or unhandled rejections (high) or log console.error (medium); the same error on several pages is one issue. Hydration errors are web.hydration_error's, Content-Security-Policy refusals web.csp_blocks_scripts', scripts refused for their MIME type web.failed_assets', and messages that only repeat a failed request or a hosting platform's resource are not reported again.",
  async run({ site }) {
    const seen = await browserPages(site);
    if ("outcome" in seen) return seen.outcome;
    const entries = seen.pages.flatMap((page) => [
      ...page.pageErrors.filter((m) => !HYDRATION.test(m) && !isEcho(m, page)).map((message) => ({ page: page.url, message, uncaught: true })),
      ...page.consoleErrors.filter((m) => !HYDRATION.test(m) && !isEcho(m, page)).map((message) => ({ page: page.url, message, uncaught: false })),
    ]);
    const issues: IssueDraft[] = byPages(entries).map(({ pages, uncaught, logged }) => {
      const first = clip(uncaught[0] ?? logged[0] ?? "", MESSAGE_CHARS);
      const counted = uncaught.length > 0 ? `${uncaught.length} uncaught error${uncaught.length === 1 ? "" : "s"}` : `${logged.length} console error${logged.length === 1 ? "" : "s"}`;
      return {
        severity: uncaught.length > 0 ? "high" : "medium",
        title: pages.length === 1 ? `${pathOf(pages[0] as string)}: ${counted}` : `${counted} on ${pages.length} pages: ${clip(first, 80)}`,
        description: `${uncaught.length > 0 ? `The page throws in the browser: "${first}". Interactive parts after the error may not work.` : `The page logs errors: "${first}".`}${pages.length > 1 ? ` Seen on ${pagesText(pages)}: a shared component or layout.` : ""}`,
        subject: groupSubject(pages, first),
        evidence: { url: pages[0], pages: pages.slice(0, MAX_PAGES), uncaught: messages(uncaught), consoleErrors: messages(logged) },
        recommendation:
          "Open one of the pages with the browser console open: the message and its stack trace name the failing component or call. Fix that cause; an error boundary around risky client widgets keeps one failure from taking the whole page down.",
      };
    });
    return outcome(issues, { pages: seen.pages.length });
  },
};

export const webHydrationError: Check = {
  code: "web.hydration_error",
  domain: "web",
  title: "React hydration mismatch",
  description:
    "The HTML rendered on the server must match what React renders in the browser (high): a mismatch re-renders the page on the client and can lose state. A page whose scripts the Content-Security-Policy refused cannot hydrate at all; that is web.csp_blocks_scripts'.",
  async run({ site }) {
    const seen = await browserPages(site);
    if ("outcome" in seen) return seen.outcome;
    const entries = seen.pages
      .filter((page) => ownScriptsRefused(page).length === 0)
      .flatMap((page) => [...page.pageErrors, ...page.consoleErrors].filter((m) => HYDRATION.test(m) && !isEcho(m, page)).map((message) => ({ page: page.url, message, uncaught: false })));
    const issues: IssueDraft[] = byPages(entries).map(({ pages, logged }) => ({
      severity: "high" as const,
      title: pages.length === 1 ? `${pathOf(pages[0] as string)}: hydration mismatch` : `hydration mismatch on ${pages.length} pages`,
      description: `React could not hydrate the server HTML ("${clip(logged[0] ?? "", MESSAGE_CHARS)}"); it threw the server HTML away and rendered again on the client.${pages.length > 1 ? ` Seen on ${pagesText(pages)}: a shared component or layout.` : ""}`,
      subject: groupSubject(pages, logged[0] ?? "hydration"),
      evidence: { url: pages[0], pages: pages.slice(0, MAX_PAGES), messages: messages(logged) },
      recommendation:
        "Look for render output that differs between server and browser: Date.now()/new Date(), Math.random(), `typeof window` branches, locale-dependent formatting, or invalid HTML nesting (<div> in <p>). Move browser-only values into useEffect, or render them with suppressHydrationWarning where the difference is intended.",
    }));
    return outcome(issues, { pages: seen.pages.length });
  },
};

interface Failure {
  /** Origin and path: the query of a beacon or prefetch differs from page to page. */
  key: string;
  urls: string[];
  request: BrowserRequest | undefined;
  failure: string;
  pages: string[];
  /** Of the page's own origin. */
  own: boolean;
}

const SCRIPTS = new Set(["script", "stylesheet"]);
const DATA = new Set(["fetch", "xhr"]);

export const webFailedRequests: Check = {
  code: "web.failed_requests",
  domain: "web",
  title: "Requests that fail in the browser",
  description:
    "Requests a page makes while loading must not fail or answer 4xx/5xx. One failing resource is one issue, listing the pages. The site's own scripts and stylesheets are high (critical for `_next/static` chunks), its own data requests high, its images and fonts medium; third-party scripts and stylesheets medium, other third-party requests (beacons, analytics, images) low; a hosting platform's resources on a site not hosted there (Vercel's /_vercel/insights) info. Not reported here: assets web.failed_assets reports, GET data requests to the site's /api/ (the network bot samples and judges each endpoint the pages call), 401/403 answers to an anonymous visitor, and requests the prober's address policy refused.",
  async run({ site }) {
    const seen = await browserPages(site);
    if ("outcome" in seen) return seen.outcome;
    const [assets, snapshots, report] = await Promise.all([site.assets(), site.pages(), site.browser()]);
    // A failing asset of the server HTML is web.failed_assets' (it requests each one itself).
    const assetFailures = new Set(assets.filter((a) => a.error !== undefined || (a.status ?? 0) >= 400).map((a) => a.url));
    const refused = new Set(report.refused.map((r) => r.url));
    const vercel = onVercel(snapshots);
    const failures = new Map<string, Failure>();
    for (const page of seen.pages) {
      for (const failed of page.failedRequests) {
        if (assetFailures.has(failed.url) || refused.has(failed.url) || /^csp$|BLOCKED_BY_CSP/i.test(failed.failure)) continue; // web.csp_blocks_scripts' for CSP
        const request = page.requests.find((r) => r.url === failed.url && (r.status !== undefined ? r.status >= 400 : r.failure !== undefined)) ?? page.requests.find((r) => r.url === failed.url);
        if (reportedElsewhere(failed.url, page, request)) continue;
        const parsed = new URL(failed.url);
        const key = parsed.origin + parsed.pathname;
        const known = failures.get(key) ?? { key, urls: [], request, failure: failed.failure, pages: [], own: parsed.origin === new URL(page.url).origin };
        if (!known.urls.includes(failed.url) && known.urls.length < 5) known.urls.push(failed.url);
        if (!known.pages.includes(page.url)) known.pages.push(page.url);
        failures.set(key, known);
      }
    }
    const issues = [...failures.values()].map((f) => failureIssue(f, vercel));
    return outcome(issues, { pages: seen.pages.length });
  },
};

/** Failures another check judges better: said here once, not reported twice. */
function reportedElsewhere(url: string, page: BrowserPage, request: BrowserRequest | undefined): boolean {
  const parsed = new URL(url);
  if (!request || parsed.origin !== new URL(page.url).origin || !DATA.has(request.resourceType)) return false;
  // An anonymous visitor is refused by an API that protects itself: that is no failure.
  if (request.status === 401 || request.status === 403) return true;
  // The network bot samples every GET endpoint under /api/ the pages call (site-probe endpoints()
  // merges them) and judges it over several samples: 404/410 as a broken feature the pages call,
  // 5xx, 429 and no answer as endpoint errors, rate limiting, downtime. Reporting the browser's one
  // request as well would make one broken route two issues.
  return parsed.pathname.startsWith("/api/") && request.method === "GET";
}

function failureIssue(f: Failure, vercel: boolean): IssueDraft {
  const url = f.urls[0] as string;
  const parsed = new URL(url);
  const type = f.request?.resourceType ?? "other";
  const status = f.request?.status;
  const failure = status !== undefined ? `HTTP ${status}` : f.failure;
  const evidence = { url: f.key, urls: f.urls, resourceType: type, method: f.request?.method ?? null, status: status ?? null, failure, pages: f.pages.slice(0, MAX_PAGES) };
  const base = { subject: f.key, evidence, title: `${type} ${clip(f.own ? pathOf(f.key) : f.key, 120)} fails (${failure}) on ${f.pages.length} page${f.pages.length === 1 ? "" : "s"}` };
  const where = ` on ${pagesText(f.pages)}`;
  const role = roleOf(url, SCRIPTS.has(type), f.own);
  const severity = failureSeverity(role, vercel, "medium");
  if (role === "platform") return { ...base, severity, ...platformFailure(url, failure, vercel, where) };
  if (role === "analytics" || role === "third-party" || role === "third-party-code") return { ...base, severity, ...thirdPartyFailure(url, type, failure, role, where) };
  if (role === "chunk" || role === "own-code") {
    return {
      ...base,
      severity,
      description:
        role === "chunk"
          ? `A build chunk fails in the browser (${failure})${where}: the page's JavaScript or CSS does not load, so it renders broken or does not hydrate. The HTML and the static files come from different deployments.`
          : `The site's own ${type} fails (${failure})${where}: the page runs without it.`,
      recommendation:
        role === "chunk"
          ? "Redeploy so that HTML and static files come from the same build, or roll back to the previous deployment; make sure the CDN does not serve cached HTML of an older build (purge or revalidate)."
          : "Restore the file at this path, or fix the reference that loads it.",
    };
  }
  if (DATA.has(type)) {
    const prefetch = parsed.searchParams.has("_rsc") || parsed.pathname.startsWith("/_next/data/");
    const missing = status === 404 || status === 410;
    return {
      ...base,
      severity: prefetch && missing ? "medium" : "high",
      description:
        prefetch && missing
          ? `Next.js prefetches ${parsed.pathname} for a link${where}, and the page does not exist (${failure}): the link leads to a 404.`
          : `The page's own ${f.request?.method ?? ""} ${type} request fails (${failure})${where}: the feature that needs it does not work.`,
      recommendation:
        prefetch && missing
          ? "Fix or remove the link to the missing page (the navigation component renders it), or restore the page."
          : "Read the server logs for this route at the time of the request; if the route was renamed or removed, deploy the pages that call the new path or restore it.",
    };
  }
  return {
    ...base,
    severity,
    description: `The site's own ${type} ${parsed.pathname} fails (${failure})${where}.`,
    recommendation: "Restore the file at this path, or fix the reference to it.",
  };
}
