import type { Check, IssueDraft } from "../../catalogue";
import { describeHttpError, isTimeout } from "../../probes/http";
import { isAuthEndpoint } from "../../site/endpoints";
import { DEFAULT_SAMPLING } from "../../site/sampling";
import type { Fetcher } from "../../site/fetcher";
import { outcome } from "../outcome";
import { bodyStart, clip, isHtmlType, looksLikeHtmlDocument } from "../web/content";

/** Auth.js answers these with JSON; the URLs inside /providers come from AUTH_URL. */
export const netAuthBroken: Check = {
  code: "net.auth_broken",
  domain: "network",
  title: "Authentication endpoints broken",
  description:
    "Auth.js endpoints (/api/auth/session, /providers, /csrf) must answer 200 with JSON, and must not send users to another host than the target (the classic AUTH_URL/NEXTAUTH_URL mistake). One that redirects to an HTML page (a middleware or proxy that covers /api/auth sends it to a login page) is broken too. Each is high: nobody can log in. Loopback names (localhost, 127.0.0.1, ::1) are one host; www and the apex are not; ports must match.",
  async run({ target, site }) {
    const endpoints = (await site.endpoints()).map((e) => e.url).filter(isAuthEndpoint);
    if (endpoints.length === 0) return { status: "skipped", reason: "no Auth.js endpoints (/api/auth/...) among the target's endpoints" };
    const base = new URL(target.baseUrl);
    const issues: IssueDraft[] = [];
    let judged = 0;
    // The Auth.js endpoints (a handful), asked at once: one that hangs no longer holds up the others.
    const inspected = await Promise.all(endpoints.map(async (url) => ({ url, problem: await inspect(url, base, site.fetcher) })));
    for (const { url, problem } of inspected) {
      // The address policy refused it: the check could not look, which is no finding about the site.
      if (problem !== null && problem !== "timed out" && problem.refused) return { status: "error", reason: problem.refused };
      if (problem !== "timed out") judged++;
      if (!problem || problem === "timed out") continue;
      issues.push({
        severity: "high",
        title: `${new URL(url).pathname}: ${problem.title}`,
        description: problem.description,
        subject: url,
        evidence: { url, ...problem.evidence },
        recommendation:
          problem.cause === "wrong host"
            ? `Set AUTH_URL (NEXTAUTH_URL in Auth.js v4) to the site's public URL, ${base.origin}, or remove it and set AUTH_TRUST_HOST=true behind a proxy that sends the right Host header; then redeploy.`
            : problem.cause === "intercepted"
              ? "Something in front of Auth.js answers for /api/auth: usually middleware.ts whose matcher covers /api (it redirects anonymous requests to the login page), or a proxy/CDN rule or rewrite. Exclude /api/auth from it, e.g. `matcher: ['/((?!api/auth|_next/static|_next/image|favicon.ico).*)']`, or return early for /api/auth in the middleware; then redeploy and load /api/auth/session: it must answer JSON."
              : "Read the server logs for the Auth.js error (often a missing AUTH_SECRET, a database adapter that cannot connect, or a provider misconfiguration).",
      });
    }
    if (judged === 0) return { status: "skipped", reason: "no Auth.js endpoint answered in time; see net.timeouts" };
    return outcome(issues, { endpoints });
  },
};

interface Problem {
  title: string;
  description: string;
  evidence: Record<string, unknown>;
  cause?: "wrong host" | "intercepted";
  /** The address policy's refusal: not a problem of the endpoint. */
  refused?: string;
}

const LOOPBACK = new Set(["localhost", "127.0.0.1", "[::1]", "::1"]);
const defaultPort = (url: URL) => url.port || (url.protocol === "https:" ? "443" : url.protocol === "http:" ? "80" : "");

/** Whether `url` points at the site: the same host name (every loopback name is the same host:
 * AUTH_URL=http://127.0.0.1:3000 is right for a site probed as localhost:3000) and the same port.
 * www.example.com and example.com are different hosts: cookies set on one are not sent to the other. */
function sameHost(url: URL, site: URL): boolean {
  const name = (u: URL) => (LOOPBACK.has(u.hostname.toLowerCase()) ? "loopback" : u.hostname.toLowerCase());
  if (name(url) !== name(site)) return false;
  // http and https of one name are the same host here (an https AUTH_URL behind a TLS proxy); a
  // port that is explicit on one side only is compared with the other's scheme default.
  return url.port === site.port || defaultPort(url) === defaultPort(site);
}

/** What is wrong with one Auth.js endpoint, null when nothing, "timed out" when it cannot tell. */
async function inspect(url: string, site: URL, fetcher: Fetcher): Promise<Problem | null | "timed out"> {
  let res;
  try {
    res = await fetcher.get(url, { followRedirects: false, anonymous: true, timeoutMs: DEFAULT_SAMPLING.timeoutMs });
  } catch (err) {
    const error = describeHttpError(err);
    if (isTimeout(err)) return "timed out"; // net.timeouts reports it
    if (error.startsWith("refused to probe")) return { title: error, description: error, evidence: {}, refused: error };
    return { title: `no answer (${error})`, description: `The authentication endpoint did not answer: ${error}.`, evidence: { error } };
  }
  const location = res.headers.location;
  if (res.status >= 300 && res.status < 400 && location && URL.canParse(location, url)) {
    const to = new URL(location, url);
    if (!sameHost(to, site)) {
      return { title: `redirects to ${to.host}`, description: `It redirects to ${to.origin}, not the site (${site.host}).`, evidence: { status: res.status, location: to.origin }, cause: "wrong host" };
    }
    return redirectedWithin(res.status, to, fetcher);
  }
  if (res.status !== 200) return { title: `answers ${res.status}`, description: `It answered HTTP ${res.status} instead of 200.`, evidence: { status: res.status } };
  let body: unknown;
  try {
    body = JSON.parse(res.body);
  } catch {
    const contentType = res.headers["content-type"] ? clip(res.headers["content-type"], 200) : null;
    const html = isHtmlType(contentType ?? undefined) || looksLikeHtmlDocument(res.body);
    return {
      title: html ? "answers an HTML page, not JSON" : "answers something other than JSON",
      description: html
        ? "It answered 200 with an HTML page instead of JSON, so the client library cannot read it: a page, rewrite or catch-all route answers for Auth.js's path."
        : "It answered 200 but not with JSON, so the client library cannot read it.",
      evidence: { status: 200, contentType, bodyStart: bodyStart(res.body) },
      cause: html ? "intercepted" : undefined,
    };
  }
  const foreign = providerUrls(body).find((u) => URL.canParse(u) && !sameHost(new URL(u), site));
  if (foreign) {
    return {
      title: `sends logins to ${new URL(foreign).host}`,
      description: `Its sign-in and callback URLs point at ${new URL(foreign).origin}, not the site (${site.host}).`,
      evidence: { status: 200, providerUrl: new URL(foreign).origin },
      cause: "wrong host",
    };
  }
  return null;
}

/** A redirect on the site's own host: fine when it ends in the JSON Auth.js serves (a trailing
 * slash, http to https); broken when it ends in a page (middleware sending /api/auth/session to
 * /login) or nowhere. The redirect's target is followed from there (the endpoint was asked). */
async function redirectedWithin(status: number, to: URL, fetcher: Fetcher): Promise<Problem | null> {
  let final;
  try {
    final = await fetcher.get(to.toString(), { anonymous: true, timeoutMs: DEFAULT_SAMPLING.timeoutMs });
  } catch (err) {
    return {
      title: `redirects to ${clip(to.pathname, 80)}, which does not answer`,
      description: `It answered ${status} to ${clip(to.pathname, 200)} instead of JSON, and following the redirect failed (${describeHttpError(err)}).`,
      evidence: { status, location: clip(to.pathname + to.search, 300) },
      cause: "intercepted",
    };
  }
  const contentType = final.headers["content-type"] ? clip(final.headers["content-type"], 200) : null;
  if (final.status === 200 && isJsonBody(final.body)) return null;
  const html = isHtmlType(contentType ?? undefined) || looksLikeHtmlDocument(final.body);
  return {
    title: `redirects to ${clip(to.pathname, 80)}${html ? " (an HTML page)" : ""} instead of answering JSON`,
    description: `It answered ${status} with Location ${clip(to.pathname + to.search, 200)}, which ends in ${final.status} ${contentType ?? "without a content type"}${html ? " (an HTML page)" : ""}. The Auth.js client expects JSON here: sessions cannot be read and sign-in does not start.`,
    evidence: { status, location: clip(to.pathname + to.search, 300), finalUrl: clip(final.url, 300), finalStatus: final.status, contentType, bodyStart: bodyStart(final.body) },
    cause: "intercepted",
  };
}

function isJsonBody(body: string): boolean {
  try {
    JSON.parse(body);
    return true;
  } catch {
    return false;
  }
}

/** signinUrl/callbackUrl of each provider in a /providers answer. */
function providerUrls(body: unknown): string[] {
  if (!body || typeof body !== "object") return [];
  return Object.values(body as Record<string, unknown>).flatMap((p) =>
    p && typeof p === "object" ? [(p as { signinUrl?: unknown }).signinUrl, (p as { callbackUrl?: unknown }).callbackUrl].filter((u): u is string => typeof u === "string") : [],
  );
}
