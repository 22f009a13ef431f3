// An API that answers its callers with a page. The pages' own data requests (fetch/xhr to /api/
// of the site) that come back 2xx text/html, or redirect to a page, break the feature as surely
// as a 500 does, while every status looks fine: a catch-all page or rewrite answering for a
// missing route, or a middleware matcher that sends API calls to the login page.
import pLimit from "p-limit";
import type { Check, IssueDraft } from "../../catalogue";
import { describeHttpError } from "../../probes/http";
import type { BrowserRequest } from "../../site/browser";
import { callersOf, isAuthEndpoint, isReferenced, takesGet } from "../../site/endpoints";
import { ANONYMOUS_TIMEOUT_MS, type AnonymousAnswer, type SiteProbe } from "../../site/site-probe";
import { withoutHash } from "../../site/crawl";
import { outcome } from "../outcome";
import { apiAnsweredHtml } from "../web/browser-echoes";
import { bodyStart, clip, isHtmlType, isJsonType, looksLikeHtmlDocument, pagesText } from "../web/content";

interface Called {
  url: string;
  /** The browser's request, when a page made it while loading and it answered HTML or redirected. */
  request?: BrowserRequest;
  method: string;
  pages: string[];
  /** The site's pages use it (seen in the browser, or named in their scripts), not only configured. */
  used: boolean;
}

interface Verdict {
  /** What the route answers now, when asked again (GET only). */
  recheck?: { status: number; finalUrl: string; contentType: string | null; bodyStart: string; redirected: boolean };
  html: boolean;
  /** Neither the browser nor the recheck got an answer: nothing to judge. */
  unanswered?: string;
}

const MAX_RECHECKED = 20;

export const netApiNotJson: Check = {
  code: "net.api_not_json",
  domain: "network",
  title: "API answers HTML",
  description:
    "A /api/ route must not answer 2xx with an HTML page, nor redirect to one: its callers expect JSON, so the feature is broken though the status looks fine. High when the site's pages call it (a data request seen in Chromium, or a route their scripts name), medium for a configured endpoint. A route the browser saw answering something else is judged by that answer; the others are asked with GET to read what they answer (the anonymous GET the exposure checks make, when the run has no credentials for it); an HTML fragment (not a whole document) is taken as intended, and a POST is judged by the browser's answer. Auth.js routes are net.auth_broken's.",
  async run({ site }) {
    const [report, endpoints] = await Promise.all([site.browser(), site.endpoints()]);
    const pages = report.available ? report.pages.filter((p) => !p.error) : [];
    const called = new Map<string, Called>();
    // What the browser already saw answered (JSON, an error, …) is not asked again.
    const seenAnswered = new Set(pages.flatMap((p) => p.requests.filter((r) => r.status !== undefined).map((r) => withoutHash(r.url))));
    for (const page of pages) {
      for (const request of apiAnsweredHtml(page)) {
        const url = withoutHash(request.url);
        const known = called.get(url) ?? { url, request, method: request.method, pages: [], used: true };
        if (!known.pages.includes(page.url)) known.pages.push(page.url);
        called.set(url, known);
      }
    }
    // Without the browser's view (or besides it): the API routes the pages' scripts name, and the
    // configured ones, asked with GET.
    for (const e of endpoints) {
      if (called.has(e.url) || seenAnswered.has(e.url) || !URL.canParse(e.url) || !new URL(e.url).pathname.startsWith("/api/") || !takesGet(e) || e.sources.every((s) => s === "preset" || s === "base")) continue;
      called.set(e.url, { url: e.url, method: "GET", pages: callersOf(e), used: isReferenced(e) });
    }
    const candidates = [...called.values()].filter((c) => !isAuthEndpoint(c.url)); // net.auth_broken judges Auth.js's routes, with their own advice
    const seenApis = [...seenAnswered].filter((url) => URL.canParse(url) && new URL(url).pathname.startsWith("/api/"));
    if (candidates.length === 0 && seenApis.length === 0) {
      return { status: "skipped", reason: `no /api/ route to judge: none called by the pages${report.available ? "" : ` (no browser: ${report.reason ?? "unavailable"})`}, named in their scripts, or configured` };
    }
    const limit = pLimit(4);
    const judged = await Promise.all(candidates.slice(0, MAX_RECHECKED).map((c) => limit(async () => ({ called: c, verdict: await judge(c, site) }))));
    const unanswered = judged.filter((j) => j.verdict.unanswered !== undefined);
    if (seenApis.length === 0 && judged.length > 0 && unanswered.length === judged.length) {
      return { status: "skipped", reason: `no /api/ route answered (${unanswered[0]?.verdict.unanswered}); see net.endpoint_down and net.timeouts` };
    }
    const issues = judged.flatMap(({ called: c, verdict }) => (verdict.html ? [issue(c, verdict)] : []));
    return outcome(issues, { asked: judged.map((j) => j.called.url), seenInBrowser: seenApis.slice(0, 20), unanswered: unanswered.map((j) => j.called.url), browser: report.available });
  },
};

/** Whether the call really ends in an HTML page. A GET is asked (following redirects, as fetch()
 * does) to read the body; other methods are judged by what the browser saw. */
async function judge(c: Called, site: SiteProbe): Promise<Verdict> {
  const seen = c.request;
  const redirected = seen?.status !== undefined && seen.status >= 300 && seen.status < 400;
  const seenHtml = seen !== undefined && !redirected && isHtmlType(seen.contentType);
  if (c.method !== "GET") return { html: seenHtml };
  const answer = await ask(site, c.url);
  if (answer.error !== undefined) return { html: seenHtml, ...(seen ? {} : { unanswered: answer.error }) };
  const res = answer.res;
  const contentType = res.headers["content-type"] ? clip(res.headers["content-type"], 200) : null;
  const recheck = { status: res.status, finalUrl: res.url, contentType, bodyStart: bodyStart(res.body), redirected: res.redirects.length > 0 };
  // JSON now, or an error (endpoint checks judge statuses), or an HTML fragment an API may mean to send.
  if (isJsonType(contentType ?? undefined) || res.status < 200 || res.status >= 300) return { recheck, html: false };
  return { recheck, html: looksLikeHtmlDocument(res.body) };
}

/** GET `url`, following redirects, or why it did not answer. Without credentials for it, the
 * first request is the one the exposure checks make of the same route (SiteProbe.anonymous, once per run);
 * only a redirect's target is asked here. */
async function ask(site: SiteProbe, url: string): Promise<AnonymousAnswer> {
  const options = { timeoutMs: ANONYMOUS_TIMEOUT_MS, retry: false };
  const get = (to: string, anonymous: boolean) =>
    site.fetcher.get(to, { ...options, anonymous }).then(
      (res): AnonymousAnswer => ({ url, res }),
      (err): AnonymousAnswer => ({ url, error: describeHttpError(err) }),
    );
  if (site.fetcher.authenticates(url)) return get(url, false);
  const first = await site.anonymous(url);
  const location = first.res?.headers.location;
  if (!first.res || first.res.status < 300 || first.res.status >= 400 || !location) return first;
  const landed = await get(new URL(location, url).toString(), true);
  return landed.res ? { url, res: { ...landed.res, redirects: [url, ...landed.res.redirects] } } : landed;
}

function issue(c: Called, verdict: Verdict): IssueDraft {
  const path = new URL(c.url).pathname;
  const recheck = verdict.recheck;
  const landed = recheck?.redirected ? new URL(recheck.finalUrl).pathname : null;
  const answered = landed ? `redirects to ${clip(landed, 80)} (an HTML page)` : `answers ${recheck?.status ?? c.request?.status} ${clip((recheck?.contentType ?? c.request?.contentType ?? "text/html").split(";")[0] ?? "", 80)}`;
  const how = c.request ? "call it while loading" : "name it in their scripts";
  const who = c.used ? (c.pages.length > 0 ? `${pagesText(c.pages)} ${how}` : `The site's pages ${how}`) : "It is a configured API endpoint";
  return {
    severity: c.used ? "high" : "medium",
    title: `${path} ${answered}${c.used ? ", but the site's pages call it for data" : " instead of JSON"}`,
    description: `${who}, and ${c.method} ${path} ${answered}${recheck ? ` ("${recheck.bodyStart.slice(0, 60)}…")` : ""} instead of JSON: code that reads the answer fails, so the feature behind it is broken${c.used ? " for every visitor" : ""}, though no status says so.`,
    subject: c.url,
    evidence: {
      url: c.url,
      method: c.method,
      foundBy: c.request ? "browser" : c.used ? "script" : "configured",
      browserStatus: c.request?.status ?? null,
      browserContentType: c.request?.contentType ? clip(c.request.contentType, 200) : null,
      ...(recheck ? { status: recheck.status, contentType: recheck.contentType, finalUrl: recheck.finalUrl, bodyStart: recheck.bodyStart } : {}),
      calledBy: c.pages.slice(0, 10),
    },
    recommendation: landed
      ? `Something in front of the route sends API calls to ${clip(landed, 80)}: usually middleware.ts whose matcher covers /api (exclude /api from it, or answer 401 JSON for API paths instead of redirecting), or a proxy/CDN rule. Then call ${path} again: it must answer JSON.`
      : `The route's path is answered by a page: its app/api/**/route.ts is missing in this deployment, or a rewrite, catch-all page ([...slug]) or proxy fallback covers /api. Restore the route (or deploy the pages that call its new path), and keep /api out of rewrites and fallbacks so a missing route answers 404.`,
  };
}

