// The catch-all API route of a host: finds the route-table row for the request's method and path
// (relative to apiBasePath), applies its guard, runs it, and maps errors to JSON. Anything the
// table does not have answers exactly like a protected route to strangers (401/403), and 404/405
// only to an admin: the API does not reveal what exists to anonymous callers.
import { hasBearer } from "../auth/bearer";
import { authorizeVisitor, notAllowed, refuseCrossSite, unauthenticated, withCorrelation } from "../auth/guard";
import type { AddonContext } from "../mount/context";
import { jsonError, toErrorResponse } from "./errors";
import { type Method, ROUTES, type Route, type RouteRequest } from "./routes";

type Match = { route: Route; params: Record<string, string> };

/** The request's path segments under apiBasePath, or null when it is not under it. */
function segmentsUnder(pathname: string, apiBasePath: string): string[] | null {
  if (pathname !== apiBasePath && !pathname.startsWith(`${apiBasePath}/`)) return null;
  return pathname.slice(apiBasePath.length).split("/").filter(Boolean).map((s) => decodeURIComponent(s));
}

function matchPath(route: Route, segments: string[]): Record<string, string> | null {
  const pattern = route.path.split("/").filter(Boolean);
  if (pattern.length !== segments.length) return null;
  const params: Record<string, string> = {};
  for (const [i, part] of pattern.entries()) {
    const segment = segments[i] as string;
    if (part.startsWith(":")) params[part.slice(1)] = segment;
    else if (part !== segment) return null;
  }
  return params;
}

/** The route for a method and path; `allowed` lists the methods the path has (for 405), and
 * `pathGuard` who may learn that (a metrics scraper, or an admin; a cron secret opens only the cron run). */
export function findRoute(method: string, segments: string[]): { match: Match | null; allowed: Method[]; pathGuard: Route["guard"] } {
  const allowed: Method[] = [];
  let match: Match | null = null;
  let pathGuard: Route["guard"] = "admin";
  for (const route of ROUTES) {
    const params = matchPath(route, segments);
    if (!params) continue;
    allowed.push(route.method);
    if (route.guard === "admin-or-metrics-token") pathGuard = route.guard;
    if (route.method === method) match ??= { route, params };
  }
  return { match, allowed, pathGuard };
}

async function admit(addon: AddonContext, req: Request, guard: Route["guard"]): Promise<RouteRequest["admin"] | Response> {
  const config = addon.config();
  if (guard === "cron-secret") return hasBearer(req, config.CRON_SECRET) ? null : jsonError(401, "unauthenticated", "A valid cron secret is required.");
  if (guard === "admin-or-metrics-token" && hasBearer(req, config.METRICS_TOKEN)) return null;
  const visitor = await authorizeVisitor(config, req.headers);
  if (visitor === null) return unauthenticated();
  if (visitor === "forbidden") return notAllowed();
  return visitor;
}

/** One handler for every method of the host's catch-all route. */
export function apiHandler(addon: AddonContext): (req: Request) => Promise<Response> {
  return (req) =>
    withCorrelation(req, async () => {
      try {
        const config = addon.config();
        const refused = refuseCrossSite(req, config);
        if (refused) return refused;
        const segments = segmentsUnder(new URL(req.url).pathname, config.apiBasePath) ?? [];
        const { match, allowed, pathGuard } = findRoute(req.method, segments);
        // Unknown paths and methods are judged as admin routes first: strangers learn nothing.
        const admitted = await admit(addon, req, match?.route.guard ?? pathGuard);
        if (admitted instanceof Response) return admitted;
        if (!match) {
          if (allowed.length === 0) return jsonError(404, "not_found", "No such endpoint.");
          return new Response(JSON.stringify({ error: { code: "method_not_allowed", message: `Use ${allowed.join(", ")}.` } }), {
            status: 405,
            headers: { "content-type": "application/json", allow: allowed.join(", ") },
          });
        }
        return await match.route.handle({ req, params: match.params, admin: admitted, addon });
      } catch (err) {
        return toErrorResponse(err);
      }
    });
}
