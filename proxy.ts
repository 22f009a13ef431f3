// Next 16 Proxy (formerly middleware): the per-request CSP nonce, and the API's first door.
// Authorization does not live here: every route and page checks it itself (lib/auth/guard.ts);
// this only answers 401 to callers without any credentials on the add-on's API before Next's
// routing can answer 405 for a method a route lacks (lib/auth/api-gate.ts). The other security
// headers, the same on every response, are in next.config.mjs.
import { type NextRequest, NextResponse } from "next/server";
import { refuseAnonymousApiCall } from "./lib/auth/api-gate";
import { contentSecurityPolicy, newNonce } from "./lib/http/csp";
import { correlationIdOf } from "./lib/monitoring/log-context";

export async function proxy(request: NextRequest) {
  const refused = await refuseAnonymousApiCall(request, request.nextUrl.pathname);
  if (refused) {
    refused.headers.set("x-request-id", correlationIdOf(request));
    return refused;
  }
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
