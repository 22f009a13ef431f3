// Cross-site request refusal for state-changing API calls. Session cookies ride along on any
// request a browser sends, including a form or fetch that another site's page makes the
// victim's browser send; browsers say where such a request comes from in Origin and
// Sec-Fetch-Site, and a script cannot forge either. Auth.js's own routes have CSRF tokens, and
// Next checks server actions' Origin itself.

/** Methods that change nothing, by HTTP's contract and ours: never refused here. */
const SAFE_METHODS = new Set(["GET", "HEAD"]);

function originOf(value: string): string | null {
  try {
    return new URL(value).origin;
  } catch {
    return null;
  }
}

/**
 * True for a non-GET/HEAD request that a browser marked as coming from another site: an Origin
 * that is none of `ownOrigins`, or `Sec-Fetch-Site: cross-site`.
 *
 * A request without Origin (curl, a server-to-server caller, Vercel Cron) is let through: only a
 * browser attaches a victim's cookies to someone else's request, and browsers send Origin on
 * every cross-origin request that is not GET/HEAD. So such a request authenticates with
 * credentials its sender holds itself, and the usual session or bearer checks decide.
 */
export function isCrossSiteWrite(req: Request, ownOrigins: readonly string[]): boolean {
  if (SAFE_METHODS.has(req.method.toUpperCase())) return false;
  if (req.headers.get("sec-fetch-site")?.trim().toLowerCase() === "cross-site") return true;
  const origin = req.headers.get("origin");
  if (origin === null) return false;
  // "null" (a sandboxed frame, a data: URL, some redirects) parses to no origin: refused.
  const claimed = originOf(origin.trim());
  return claimed === null || !ownOrigins.some((own) => originOf(own) === claimed);
}
