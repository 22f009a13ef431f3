// The Content-Security-Policy of every response (proxy.ts), with a fresh nonce per request.
// Next reads the nonce back from the request's CSP header while rendering and puts it on its own
// scripts (bootstrap, chunks, inline RSC payload), so no inline script runs without it.
import { randomBytes } from "node:crypto";

export function newNonce(): string {
  return randomBytes(16).toString("base64");
}

/**
 * 'strict-dynamic': scripts the nonced bootstrap loads (route chunks on navigation) are trusted
 * through it, so no host list is needed. 'unsafe-eval' only in development, where React uses eval
 * to rebuild server error stacks. style-src keeps 'unsafe-inline': pages carry server-rendered
 * style="" attributes (recharts' SVG, widths of progress bars) that a nonce cannot cover (nonces
 * apply to <style> elements, not attributes), and a style cannot run code.
 */
export function contentSecurityPolicy(nonce: string, development: boolean): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${development ? " 'unsafe-eval'" : ""}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    "connect-src 'self'",
    "frame-ancestors 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "object-src 'none'",
  ].join("; ");
}
