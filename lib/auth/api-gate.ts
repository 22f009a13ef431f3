// The first door of the add-on's API, run by proxy.ts before Next routes the request: a caller
// with no credentials at all gets 401 on /api/admin/bots/**, whatever the method. Without it, Next
// answers a method a route does not export (PUT, DELETE, OPTIONS...) with 405 and an Allow
// header before any of our code runs, telling anyone which routes exist. Callers with credentials
// pass on to the route, whose own guard (lib/auth/guard.ts) still decides 401/403 fully, with the
// database; a wrong method then gets Next's 405.
import { getToken } from "next-auth/jwt";
import { jsonError } from "../api/errors";
import { env } from "../env";
import { hasBearer } from "./bearer";

const PROTECTED = /^\/api\/admin\/bots(\/|$)/;

/** Auth.js's session cookie: "__Secure-" over https (as Auth.js decides it, possibly behind a
 * TLS-terminating proxy, so both are tried); the name is also the token's encryption salt. */
const SESSION_COOKIES = ["__Secure-authjs.session-token", "authjs.session-token"];

/** The same answer the route guard gives an anonymous caller. */
export function unauthenticated(): Response {
  return jsonError(401, "unauthenticated", "Sign in as an administrator.");
}

/**
 * True when the request carries something that might let it in: a machine bearer secret that
 * matches (CRON_SECRET, METRICS_TOKEN), or a session token that decrypts with AUTH_SECRET and has
 * not expired. Whether that session is still live, and an admin's, is the route's business.
 */
export async function hasCredentials(req: Request): Promise<boolean> {
  const { CRON_SECRET, METRICS_TOKEN, AUTH_SECRET } = env();
  if (hasBearer(req, CRON_SECRET) || hasBearer(req, METRICS_TOKEN)) return true;
  const cookies = req.headers.get("cookie") ?? "";
  for (const name of SESSION_COOKIES) {
    if (!cookies.includes(name)) continue;
    // Only the cookie: getToken would also try an Authorization header, which routes do not accept.
    const headers = new Headers({ cookie: cookies });
    const token = await getToken({ req: { headers }, secret: AUTH_SECRET, cookieName: name, salt: name, secureCookie: name.startsWith("__Secure-") });
    if (token) return true;
  }
  return false;
}

/** The 401 for an anonymous call to the add-on's API, or null to let the request go on. */
export async function refuseAnonymousApiCall(req: Request, pathname: string): Promise<Response | null> {
  if (!PROTECTED.test(pathname)) return null;
  return (await hasCredentials(req)) ? null : unauthenticated();
}
