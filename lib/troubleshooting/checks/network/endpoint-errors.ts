import type { Check, IssueDraft } from "../../catalogue";
import { type ApiEndpoint, callersOf, isAdminEndpoint, isConfigured, isExpectedStatus, isReferenced } from "../../site/endpoints";
import { outcome } from "../outcome";
import { SAMPLING_THRESHOLDS, answered, endpointSamples } from "./shared";

const ERROR_THRESHOLDS = { ...SAMPLING_THRESHOLDS, minFailures: 2 };

export const netEndpointErrors: Check = {
  code: "net.endpoint_errors",
  domain: "network",
  title: "Endpoint answers errors",
  description:
    "Over several samples, an endpoint must not answer 5xx (high when most samples do, medium when some do). An endpoint the target's own pages call must not answer 404/410 (high: a broken feature). A configured endpoint must answer what is expected (medium; admin endpoints refuse anonymous requests with 401/403). Endpoints found on the pages are not judged by other 4xx (they may need a body, a parameter or a session), and a preset endpoint the target does not serve is not judged at all.",
  thresholds: ERROR_THRESHOLDS,
  async run(ctx) {
    const t = { ...ERROR_THRESHOLDS, ...ctx.thresholds };
    const sampled = await endpointSamples(ctx);
    if ("outcome" in sampled) return sampled.outcome;
    const issues: IssueDraft[] = [];
    const known = new Map((await ctx.site.endpoints()).map((e) => [e.url, e]));
    for (const endpoint of sampled.endpoints) {
      const got = answered(endpoint);
      if (got.length === 0) continue; // no answer at all is net.endpoint_down's or net.timeouts'
      const statuses = got.map((s) => s.status as number);
      const serverErrors = statuses.filter((s) => s >= 500);
      const source = known.get(endpoint.url);
      if (source && !isConfigured(source) && !serverErrors.length) {
        const missing = statuses.filter((s) => s === 404 || s === 410);
        if (isReferenced(source) && missing.length >= Math.min(t.minFailures, got.length)) issues.push(brokenFeature(endpoint.url, source, statuses));
        continue;
      }
      // 429 is net.rate_limited's; an admin endpoint that serves anonymous requests is net.unprotected_admin_api's.
      const wrong = statuses.filter(
        (s) => s < 500 && s !== 429 && !isExpectedStatus(ctx.target, endpoint.url, s, endpoint.authenticated) && !(isAdminEndpoint(endpoint.url) && !endpoint.authenticated && s < 300),
      );
      const failing = serverErrors.length >= Math.min(t.minFailures, got.length) ? serverErrors : wrong.length >= Math.min(t.minFailures, got.length) ? wrong : [];
      if (failing.length === 0) continue;
      const isServer = failing === serverErrors;
      const most = failing.length * 2 > got.length;
      issues.push({
        severity: isServer && most ? "high" : "medium",
        title: `${new URL(endpoint.url).pathname} answers ${isServer ? "5xx" : "an unexpected status"} (${failing.length} of ${got.length})`,
        description: isServer
          ? `${failing.length} of ${got.length} requests failed on the server (${[...new Set(failing)].join(", ")}).`
          : `The endpoint answered ${[...new Set(failing)].join(", ")} where ${endpoint.authenticated ? "an authenticated" : "an anonymous"} request should get ${ctx.target.expectedStatus?.[endpoint.url] ?? (isAdminEndpoint(endpoint.url) ? (endpoint.authenticated ? "2xx" : "401/403") : "2xx/3xx")}.`,
        subject: endpoint.url,
        // `endpoint`: how it was found, so that verification can judge it again alone, the same way.
        evidence: { url: endpoint.url, statuses, authenticated: endpoint.authenticated, expected: ctx.target.expectedStatus?.[endpoint.url] ?? null, endpoint: source ?? null },
        recommendation: isServer
          ? "Read the endpoint's server logs for the exception; if the failures are intermittent, look at the dependencies it calls (database, upstream APIs) and their timeouts."
          : "Check that the endpoint still exists at this path in the deployed version, and that TARGET_ENDPOINTS names the status it should answer.",
      });
    }
    return outcome(issues, { endpoints: sampled.endpoints.map((e) => ({ url: e.url, statuses: answered(e).map((s) => s.status) })) });
  },
};

/** A route the target's own pages call, which it no longer serves. */
function brokenFeature(url: string, endpoint: ApiEndpoint, statuses: number[]): IssueDraft {
  const path = new URL(url).pathname;
  const callers = callersOf(endpoint);
  const pages = callers.map((p) => new URL(p).pathname);
  const how = endpoint.sources.includes("browser") ? "requested it while loading" : "name it in their scripts";
  return {
    severity: "high",
    title: `${path} answers ${statuses[0]}, but the site's pages call it`,
    description: `${pages.length > 0 ? `${pages.slice(0, 5).join(", ")}${pages.length > 5 ? ` and ${pages.length - 5} more` : ""} ${how}` : `The site's pages ${how}`}, and it answers ${[...new Set(statuses)].join(", ")}: the feature behind it is broken for every visitor.`,
    subject: url,
    evidence: { url, statuses, calledBy: callers, foundBy: endpoint.sources, methods: endpoint.methods, endpoint },
    recommendation: "Restore the route (a renamed or deleted app/api/**/route.ts, or a proxy/rewrite that no longer reaches it), or deploy the pages that call the new path; if the last deploy removed it, roll back.",
  };
}
