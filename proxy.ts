// Next 16 Proxy (formerly middleware) of the standalone app: the per-request CSP nonce.
// Authorization does not live here: the add-on's API route and page check it themselves
// (lib/auth/guard.ts), and its one catch-all API route answers every method, so an anonymous
// caller gets 401 before any 405. The other security headers are in next.config.mjs.
import { type NextRequest, NextResponse } from "next/server";
import { contentSecurityPolicy, newNonce } from "./lib/http/csp";

export function proxy(request: NextRequest) {
  const policy = contentSecurityPolicy(newNonce(), process.env.NODE_ENV === "development");
  // On the request for Next's renderer to find the nonce; on the response for the browser.
  const headers = new Headers(request.headers);
  headers.set("content-security-policy", policy);
  const response = NextResponse.next({ request: { headers } });
  response.headers.set("content-security-policy", policy);
  return response;
}

export const config = {
  // Not for build assets: they are files, not documents, and are served without running code.
  matcher: ["/((?!_next/static|_next/image|favicon.ico).*)"],
};
