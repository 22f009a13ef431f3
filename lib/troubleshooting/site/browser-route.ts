// Every request Chromium makes goes through here. It must pass the probes' address policy (a page
// must not make the browser reach what the prober itself refuses: link-local, cloud metadata,
// 0.0.0.0/8), and the target's credentials are added only where the fetcher would add them: the
// target's own origin, over https. Those requests are made here, with verified TLS and without
// following redirects, and handed to the browser as they are: a redirect is then a new request
// of the browser's that comes back through here, so credentials never ride onto another origin
// (Chromium would carry headers added by `route.continue` onto the redirect).
import http from "node:http";
import https from "node:https";
import pLimit from "p-limit";
import type { BrowserContext, Page, Request, Route } from "playwright-core";
import { assertProbeAllowed, policyLookup } from "../probes/address-policy";
import type { Fetcher } from "./fetcher";

export interface BrowserRouting {
  fetcher: Fetcher;
  /** Extra trusted CA certificates (PEM), for requests that carry credentials. */
  ca: string | null;
  /** A body made here is never read past this (default 24 MiB): a page cannot make the prober
   * hold gigabytes. */
  maxBodyBytes?: number;
  /** Told when a page's credentialed answer went past `maxBodyBytes` (its load is too heavy). */
  overweight?: (page: Page, bytes: number) => void;
}

const DEFAULT_MAX_BODY_BYTES = 24 * 1024 * 1024;
/** Credentialed requests made here at once: each holds its body until handed to the browser. */
const CONCURRENT = 4;

class TooLarge extends Error {
  constructor(readonly bytes: number) {
    super("body too large");
  }
}

export async function routeBrowser(context: BrowserContext, routing: BrowserRouting, refused: { url: string; reason: string }[]): Promise<void> {
  const verdicts = new Map<string, Promise<string | null>>(); // by host: null when allowed
  const refusal = (url: URL) => {
    if (!verdicts.has(url.host)) verdicts.set(url.host, assertProbeAllowed(url).then(() => null, (err: unknown) => (err instanceof Error ? err.message : "refused")));
    return verdicts.get(url.host) as Promise<string | null>;
  };
  const sending = pLimit(CONCURRENT);
  await context.route("**/*", async (route) => {
    const request = route.request();
    const url = new URL(request.url());
    if (url.protocol !== "http:" && url.protocol !== "https:") return route.continue();
    const reason = await refusal(url);
    if (reason) {
      if (refused.length < 50) refused.push({ url: url.toString(), reason });
      return route.abort("blockedbyclient");
    }
    // Next.js prefetches every route a visible <Link> points to; for a dynamic route each is a
    // full render on the target. The probe visits those pages itself, and the speculation would
    // only load the target and hold the page's network open: it is not made (Next ignores a
    // prefetch that fails).
    if (request.headers()["next-router-prefetch"]) return route.abort("aborted");
    const credentials = routing.fetcher.credentialsFor(url.toString());
    if (Object.keys(credentials).length === 0) return route.continue();
    return sending(() => fulfillWithCredentials(route, request, credentials, routing));
  });
}

async function fulfillWithCredentials(route: Route, request: Request, credentials: Record<string, string>, routing: BrowserRouting): Promise<void> {
  const headers = { ...(await request.allHeaders()) };
  // HTTP/2 pseudo-headers are not headers; the body is handed over as received, so ask for it plain.
  for (const name of Object.keys(headers)) if (name.startsWith(":") || name === "accept-encoding") delete headers[name];
  // The page's own cookies (set by the target) and the configured session, together.
  const cookie = [headers.cookie, credentials.cookie].filter(Boolean).join("; ");
  try {
    const res = await send(new URL(request.url()), request.method(), { ...headers, ...credentials, ...(cookie ? { cookie } : {}) }, request.postDataBuffer(), routing.ca, routing.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES);
    await route.fulfill(res);
  } catch (err) {
    if (err instanceof TooLarge) {
      const page = pageOf(request);
      if (page) routing.overweight?.(page, err.bytes);
    }
    await route.abort("failed").catch(() => {});
  }
}

/** The page a request belongs to (none for a service worker's). */
function pageOf(request: Request): Page | null {
  try {
    return request.frame().page();
  } catch {
    return null;
  }
}

function send(url: URL, method: string, headers: Record<string, string>, body: Buffer | null, ca: string | null, maxBytes: number): Promise<{ status: number; headers: Record<string, string>; body: Buffer }> {
  const client = url.protocol === "https:" ? https : http;
  return new Promise((resolve, reject) => {
    const req = client.request(url, { method, headers, agent: false, lookup: policyLookup, rejectUnauthorized: true, ...(ca ? { ca } : {}), timeout: 15_000 }, (res) => {
      const chunks: Buffer[] = [];
      let bytes = 0;
      res.on("data", (chunk: Buffer) => {
        bytes += chunk.byteLength;
        if (bytes > maxBytes) return void res.destroy(new TooLarge(bytes));
        chunks.push(chunk);
      });
      res.on("end", () => {
        const out: Record<string, string> = {};
        for (const [name, value] of Object.entries(res.headers)) if (value !== undefined) out[name] = Array.isArray(value) ? value.join(name === "set-cookie" ? "\n" : ", ") : value;
        resolve({ status: res.statusCode ?? 502, headers: out, body: Buffer.concat(chunks) });
      });
      res.on("error", reject);
    });
    req.on("timeout", () => req.destroy(new Error("timed out")));
    req.on("error", reject);
    req.end(body ?? undefined);
  });
}
