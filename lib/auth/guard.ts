// Authorization for every API route and page of the add-on, over the host's authorize() callback
// (lib/mount/config.ts): nobody signed in is 401, signed in but not allowed is 403. Routes check
// here, not in a middleware: the host's middleware may leave /api out.
import { forbidden, redirect, unauthorized } from "next/navigation";
import { jsonError } from "../api/errors";
import type { TroubleshooterConfig } from "../mount/config";
import { correlationIdOf, withLogContext } from "../monitoring/log-context";
import { logger } from "../monitoring/logger";
import { isCrossSiteWrite } from "./origin";

/** The administrator a request acts as: the host's user id and e-mail (audit, decisions). */
export interface Admin {
  id: string;
  email: string;
}

/** The visitor per the host's session: an Admin, "forbidden" or null (anonymous). */
export async function authorizeVisitor(config: TroubleshooterConfig, headers: Headers): Promise<Admin | "forbidden" | null> {
  const visitor = await config.authorize({ headers });
  if (visitor === null || visitor === "forbidden") return visitor;
  // Audit rows need a name for the actor; a host user without an e-mail is named by its id.
  return { id: visitor.id, email: visitor.email ?? `user ${visitor.id}` };
}

/** 403 for a state-changing request another site's page made a browser send (lib/auth/origin.ts).
 * Our own origin is the request's (as the proxy in front forwarded it) or the configured appUrl. */
export function refuseCrossSite(req: Request, config: TroubleshooterConfig): Response | null {
  const origins = [new URL(req.url).origin, ...(config.appUrlConfigured ? [config.appUrl] : [])];
  if (!isCrossSiteWrite(req, origins)) return null;
  logger().warn({ component: "auth", method: req.method, origin: req.headers.get("origin"), fetchSite: req.headers.get("sec-fetch-site") }, "cross-site request refused");
  return jsonError(403, "cross_site_request", "Cross-site requests cannot change anything here.");
}

/** Serves a request under its correlation id (logged with every line, echoed as X-Request-ID). */
export async function withCorrelation(req: Request, handle: () => Promise<Response>): Promise<Response> {
  const correlationId = correlationIdOf(req);
  const res = await withLogContext({ correlationId }, handle);
  res.headers.set("x-request-id", correlationId);
  return res;
}

export const unauthenticated = () => jsonError(401, "unauthenticated", "Sign in as an administrator.");
export const notAllowed = () => jsonError(403, "forbidden", "Administrator role required.");

/** For the add-on's page: anonymous visitors go to the host's sign-in page when one is configured
 * (else Next's 401 page), others who are not allowed get the 403 page. */
export async function requireAdmin(config: TroubleshooterConfig, headers: Headers, callbackPath: string): Promise<Admin> {
  const visitor = await authorizeVisitor(config, headers);
  if (visitor === null) {
    if (config.signInPath) redirect(`${config.signInPath}?callbackUrl=${encodeURIComponent(callbackPath)}`);
    unauthorized();
  }
  if (visitor === "forbidden") forbidden();
  return visitor;
}
