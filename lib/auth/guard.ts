// Authorization for every admin route and page. Routes check here, not in middleware alone.
import { forbidden, redirect } from "next/navigation";
import type { Session } from "next-auth";
import { jsonError, toErrorResponse } from "../api/errors";
import { env } from "../env";
import { correlationIdOf, withLogContext } from "../monitoring/log-context";
import { logger } from "../monitoring/logger";
import { hasBearer } from "./bearer";
import { auth } from "../standalone/auth/config";
import { isCrossSiteWrite } from "./origin";

export type Admin = Session["user"];

type RouteContext<P> = { params: Promise<P> };
type AdminHandler<P> = (req: Request, ctx: RouteContext<P> & { admin: Admin }) => Promise<Response>;

/** 403 for a state-changing request another site's page made a browser send (lib/auth/origin.ts).
 * Our own origin is the request's (as the proxy in front forwarded it) or the configured AUTH_URL. */
function refuseCrossSite(req: Request): Response | null {
  if (!isCrossSiteWrite(req, [new URL(req.url).origin, env().appUrl])) return null;
  logger().warn({ component: "auth", method: req.method, origin: req.headers.get("origin"), fetchSite: req.headers.get("sec-fetch-site") }, "cross-site request refused");
  return jsonError(403, "cross_site_request", "Cross-site requests cannot change anything here.");
}

/** Serves a request under its correlation id (logged with every line, echoed as X-Request-ID),
 * after refusing cross-site writes. Every API route of the add-on is wrapped in this (withAdmin,
 * withAdminOrBearer, the cron route), so the refusal comes before authentication or any work. */
export function withCorrelation<A extends unknown[]>(handler: (req: Request, ...rest: A) => Promise<Response>) {
  return async (req: Request, ...rest: A): Promise<Response> => {
    const correlationId = correlationIdOf(req);
    const res = await withLogContext({ correlationId }, async () => refuseCrossSite(req) ?? handler(req, ...rest));
    res.headers.set("x-request-id", correlationId);
    return res;
  };
}

/** Wraps a route handler: 401 for anonymous callers, 403 for non-admins, errors mapped to JSON. */
export function withAdmin<P = Record<string, never>>(handler: AdminHandler<P>) {
  return withCorrelation(async (req: Request, ctx: RouteContext<P>): Promise<Response> => {
    try {
      const session = await auth();
      if (!session?.user?.id) return jsonError(401, "unauthenticated", "Sign in as an administrator.");
      if (session.user.role !== "ADMIN") return jsonError(403, "forbidden", "Administrator role required.");
      return await handler(req, { ...ctx, admin: session.user });
    } catch (err) {
      return toErrorResponse(err);
    }
  });
}

/** Like withAdmin, but a request with the right bearer secret (a scraper) is let in as well. */
export function withAdminOrBearer(secret: () => string | undefined, handler: (req: Request) => Promise<Response>) {
  const asAdmin = withAdmin(async (req) => handler(req));
  const asBearer = withCorrelation(async (req: Request) => {
    try {
      return await handler(req);
    } catch (err) {
      return toErrorResponse(err);
    }
  });
  return async (req: Request, ctx: RouteContext<Record<string, never>>): Promise<Response> =>
    hasBearer(req, secret()) ? asBearer(req) : asAdmin(req, ctx);
}

/** For admin pages and layouts: sends anonymous visitors to /login and shows 403 to others. */
export async function requireAdmin(callbackPath = "/admin/troubleshooting"): Promise<Admin> {
  const session = await auth();
  if (!session?.user?.id) redirect(`/login?callbackUrl=${encodeURIComponent(callbackPath)}`);
  if (session.user.role !== "ADMIN") forbidden();
  return session.user;
}
