// Next 16 Proxy (formerly middleware): only the per-request CSP nonce lives here. Authorization
// does not: every route and page checks it itself (lib/auth/guard.ts). The other security
// headers, the same on every response, are in next.config.mjs.
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
