import type { Check, IssueDraft } from "../../catalogue";
import { describeHttpError, isTimeout } from "../../probes/http";
import { isAuthEndpoint } from "../../site/endpoints";
import { DEFAULT_SAMPLING } from "../../site/sampling";
import type { Fetcher } from "../../site/fetcher";
import { outcome } from "../outcome";

/** Auth.js answers these with JSON; the URLs inside /providers come from AUTH_URL. */
export const netAuthBroken: Check = {
  code: "net.auth_broken",
  domain: "network",
  title: "Authentication endpoints broken",
  description:
    "Auth.js endpoints (/api/auth/session, /providers, /csrf) must answer 200 with JSON, and must not send users to another host than the target (the classic AUTH_URL/NEXTAUTH_URL mistake). Either is high: nobody can log in.",
  async run({ target, site }) {
    const endpoints = (await site.endpoints()).map((e) => e.url).filter(isAuthEndpoint);
    if (endpoints.length === 0) return { status: "skipped", reason: "no Auth.js endpoints (/api/auth/...) among the target's endpoints" };
    const host = new URL(target.baseUrl).host;
    const issues: IssueDraft[] = [];
    let judged = 0;
    for (const url of endpoints) {
      const problem = await inspect(url, host, site.fetcher);
      if (problem !== "timed out") judged++;
      if (!problem || problem === "timed out") continue;
      issues.push({
        severity: "high",
        title: `${new URL(url).pathname}: ${problem.title}`,
        description: problem.description,
        subject: url,
        evidence: { url, ...problem.evidence },
        recommendation: problem.wrongHost
          ? `Set AUTH_URL (NEXTAUTH_URL in Auth.js v4) to the site's public URL, ${new URL(target.baseUrl).origin}, or remove it and set AUTH_TRUST_HOST=true behind a proxy that sends the right Host header; then redeploy.`
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
  wrongHost?: boolean;
}

/** What is wrong with one Auth.js endpoint, null when nothing, "timed out" when it cannot tell. */
async function inspect(url: string, host: string, fetcher: Fetcher): Promise<Problem | null | "timed out"> {
  let res;
  try {
    res = await fetcher.get(url, { followRedirects: false, anonymous: true, timeoutMs: DEFAULT_SAMPLING.timeoutMs });
  } catch (err) {
    const error = describeHttpError(err);
    if (isTimeout(err)) return "timed out"; // net.timeouts reports it
    return { title: `no answer (${error})`, description: `The authentication endpoint did not answer: ${error}.`, evidence: { error } };
  }
  const location = res.headers.location;
  if (res.status >= 300 && res.status < 400 && location) {
    const to = new URL(location, url);
    if (to.host !== host) return { title: `redirects to ${to.host}`, description: `It redirects to ${to.origin}, not the site (${host}).`, evidence: { status: res.status, location: to.origin }, wrongHost: true };
    return null;
  }
  if (res.status !== 200) return { title: `answers ${res.status}`, description: `It answered HTTP ${res.status} instead of 200.`, evidence: { status: res.status } };
  let body: unknown;
  try {
    body = JSON.parse(res.body);
  } catch {
    return { title: "answers something other than JSON", description: "It answered 200 but not with JSON, so the client library cannot read it.", evidence: { status: 200, contentType: res.headers["content-type"] ?? null } };
  }
  const foreign = providerUrls(body).find((u) => URL.canParse(u) && new URL(u).host !== host);
  if (foreign) {
    return { title: `sends logins to ${new URL(foreign).host}`, description: `Its sign-in and callback URLs point at ${new URL(foreign).origin}, not the site (${host}).`, evidence: { status: 200, providerUrl: new URL(foreign).origin }, wrongHost: true };
  }
  return null;
}

/** signinUrl/callbackUrl of each provider in a /providers answer. */
function providerUrls(body: unknown): string[] {
  if (!body || typeof body !== "object") return [];
  return Object.values(body as Record<string, unknown>).flatMap((p) =>
    p && typeof p === "object" ? [(p as { signinUrl?: unknown }).signinUrl, (p as { callbackUrl?: unknown }).callbackUrl].filter((u): u is string => typeof u === "string") : [],
  );
}
