// A fault-injecting stand-in for a Next.js platform on loopback: ten pages with hashed static
// assets, this add-on's admin endpoints and Auth.js's, served over http and (with a certificate)
// https on the same port. Each fault can be switched on alone or with all the others (each has its
// own page or endpoint, so none hides another), and switched off again.
import http from "node:http";
import https from "node:https";
import net from "node:net";
import type { AddressInfo } from "node:net";
import { hydrationFixture } from "./hydration-fixture";

export interface Faults {
  /** Delay before the home page's headers, ms. */
  slowFirstByte?: number;
  /** Only the next N home page requests are slow (a cold cache that warms up). */
  slowRequests?: number;
  page500?: boolean;
  missingChunk?: boolean;
  browserThrows?: boolean;
  hydrationMismatch?: boolean;
  heavyPage?: boolean;
  missingHeaders?: boolean;
  uncachedAssets?: boolean;
  redirectLoop?: boolean;
  brokenLink?: boolean;
  mixedContent?: boolean;
  layoutShift?: boolean;
  /** The home page streams its main content (its largest paint) this many ms late, as a slow
   * Suspense boundary does. */
  slowLcp?: number;
  anonymousAdmin?: boolean;
  brokenSession?: boolean;
  wrongAuthUrl?: boolean;
  /** /api/status answers 429. */
  rateLimited?: boolean;
  endpoint500?: boolean;
  /** Delay of /api/auth/providers, ms. */
  slowEndpoint?: number;
  /** /api/auth/csrf never answers. */
  hangingEndpoint?: boolean;
  wildcardCors?: boolean;
  /** The next N requests to /api/admin/bots/database answer 503 (a transient failure). */
  flakyEndpoint?: number;
  plainHttpServed?: boolean;
}

export interface FaultSite {
  /** The base URL (https when started with a certificate). */
  url: string;
  /** The same port over plain http. */
  httpUrl: string;
  faults: Faults;
  /** Requests per path. */
  hits: Map<string, number>;
  close(): Promise<void>;
}

export const PAGES = ["/", "/about", "/pricing", "/blog", "/blog/first", "/blog/second", "/contact", "/docs", "/docs/start", "/team"];
export const CHUNK = "/_next/static/chunks/main-3f9a2b1c.js";
const CSS = "/_next/static/css/app-7c1d2e3f.css";
const HYDRATE = "/_next/static/chunks/hydrate-5e6f7a8b.js";
const HERO = "/_next/static/media/hero-9c8b7a6d.svg";
export const CREDENTIALS = { cookie: "session=test-session", bearer: "test-token" };
/** A public endpoint of the site besides the admin and Auth.js ones (targets should list it). */
export const STATUS_ENDPOINT = "/api/status";

export async function startFaultSite(options: { faults?: Faults; tls?: { cert: string; key: string }; host?: string } = {}): Promise<FaultSite> {
  const site: FaultSite = { url: "", httpUrl: "", faults: { ...options.faults }, hits: new Map(), close: async () => {} };
  const handler = (req: http.IncomingMessage, res: http.ServerResponse) => {
    const path = new URL(req.url ?? "/", "http://x").pathname;
    site.hits.set(path, (site.hits.get(path) ?? 0) + 1);
    const secure = "encrypted" in req.socket;
    if (options.tls && !secure && !site.faults.plainHttpServed) return void res.writeHead(308, { location: `${site.url}${req.url}` }).end();
    void serve(site, path, req, res, secure).catch(() => res.writeHead(500).end());
  };
  const plain = http.createServer(handler);
  const secure = options.tls ? https.createServer({ cert: options.tls.cert, key: options.tls.key }, handler) : null;
  await Promise.all([plain, secure].map((server) => server && new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))));
  // One public port for both, as a proxy in front: a TLS handshake starts with byte 0x16.
  const sockets = new Set<net.Socket>();
  const front = net.createServer((socket) => {
    sockets.add(socket);
    socket.on("error", () => {});
    socket.once("close", () => sockets.delete(socket));
    socket.once("data", (first) => {
      const upstream = net.connect((((secure && first[0] === 0x16 ? secure : plain).address()) as AddressInfo).port, "127.0.0.1");
      sockets.add(upstream);
      upstream.on("error", () => socket.destroy());
      upstream.once("close", () => sockets.delete(upstream));
      upstream.write(first);
      socket.pipe(upstream).pipe(socket);
    });
  });
  await new Promise<void>((resolve) => front.listen(0, "127.0.0.1", resolve));
  const port = (front.address() as AddressInfo).port;
  const host = options.host ?? "127.0.0.1";
  site.httpUrl = `http://${host}:${port}`;
  site.url = options.tls ? `https://${host}:${port}` : site.httpUrl;
  site.close = async () => {
    for (const socket of sockets) socket.destroy();
    for (const server of [plain, secure]) server?.closeAllConnections();
    await Promise.all([front, plain, secure].map((server) => server && new Promise<void>((resolve) => server.close(() => resolve()))));
  };
  return site;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function pageHeaders(site: FaultSite, secure: boolean): Record<string, string> {
  const headers: Record<string, string> = { "content-type": "text/html; charset=utf-8" };
  if (site.faults.missingHeaders) return headers;
  return {
    ...headers,
    "content-security-policy": "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'",
    "x-content-type-options": "nosniff",
    "referrer-policy": "strict-origin-when-cross-origin",
    ...(secure ? { "strict-transport-security": "max-age=63072000; includeSubDomains" } : {}),
  };
}

function page(site: FaultSite, path: string): string {
  const f = site.faults;
  const links = PAGES.filter((p) => p !== path).map((p) => `<a href="${p}">${p}</a>`);
  if (path === "/") {
    if (f.redirectLoop) links.push('<a href="/loop">loop</a>');
    if (f.brokenLink) links.push('<a href="/gone">gone</a>');
  }
  const home = path === "/";
  const extras = [
    home && f.mixedContent ? `<img src="http://127.0.0.1:9/banner.png" width="10" height="10" alt="">` : "",
    home && f.browserThrows ? `<script>console.error("widget failed to start"); setTimeout(() => { throw new Error("boom from the page"); }); Promise.reject(new Error("unhandled rejection from the page"));</script>` : "",
    home && f.layoutShift ? `<script>new PerformanceObserver((l, o) => { o.disconnect(); requestAnimationFrame(() => requestAnimationFrame(() => { const d = document.createElement("div"); d.style.height = "400px"; d.textContent = "late banner"; document.body.prepend(d); })); }).observe({ type: "paint", buffered: true });</script>` : "", // once the page was painted: moving what was never shown is no shift
    home ? `<img src="${HERO}" width="64" height="32" alt="">` : "",
    home && f.heavyPage ? `<div hidden>${"x".repeat(4 * 1024 * 1024)}</div>` : "",
  ].join("");
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Fault site ${path}</title><link rel="stylesheet" href="${CSS}"><script src="${CHUNK}" defer></script></head><body><main><p>Page ${path}</p><nav>${links.join(" ")}</nav>${extras}</main></body></html>`;
}

async function serve(site: FaultSite, path: string, req: http.IncomingMessage, res: http.ServerResponse, secure: boolean): Promise<void> {
  const f = site.faults;
  if (path.startsWith("/api/")) return api(site, path, req, res);
  if (path === HERO) {
    const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="640" height="320"><rect width="640" height="320" fill="#36c"/></svg>`;
    return void res.writeHead(200, { "content-type": "image/svg+xml", "cache-control": f.uncachedAssets ? "public, max-age=0" : "public, max-age=31536000, immutable" }).end(svg);
  }
  if (path === CHUNK || path === CSS || path === HYDRATE) {
    if (path === CHUNK && f.missingChunk) return void res.writeHead(404, { "content-type": "text/plain" }).end("not found");
    const cache = f.uncachedAssets ? "public, max-age=0" : "public, max-age=31536000, immutable";
    const type = path.endsWith(".css") ? "text/css" : "application/javascript";
    const body = path === CSS ? "main{font-family:sans-serif}" : path === HYDRATE ? (await hydrationFixture(HYDRATE, { mismatch: true })).script : "document.documentElement.dataset.ready='1';";
    return void res.writeHead(200, { "content-type": type, "cache-control": cache }).end(body);
  }
  if (path === "/loop") return void res.writeHead(307, { location: "/loop-back" }).end();
  if (path === "/loop-back") return void res.writeHead(307, { location: "/loop" }).end();
  if (!PAGES.includes(path)) return void res.writeHead(404, pageHeaders(site, secure)).end("<!doctype html><title>Not found</title><p>Not found</p>");
  if (path === "/" && f.slowFirstByte && (f.slowRequests === undefined || f.slowRequests-- > 0)) await sleep(f.slowFirstByte);
  if (path === "/pricing" && f.page500) return void res.writeHead(500, pageHeaders(site, secure)).end("<!doctype html><title>Error</title><p>Internal Server Error</p>");
  let html = page(site, path);
  if (path === "/" && f.hydrationMismatch) {
    // The fixture's root and script inside the ordinary home page, beside the other faults.
    const fixture = (await hydrationFixture(HYDRATE, { mismatch: true })).html;
    html = html.replace("</head>", `${/<script [^>]*><\/script>/.exec(fixture)?.[0] ?? ""}</head>`).replace("</body>", `${/<div id="root">[\s\S]*<\/div>/.exec(fixture)?.[0] ?? ""}</body>`);
  }
  if (path !== "/" || !f.slowLcp) return void res.writeHead(200, pageHeaders(site, secure)).end(html);
  const cut = html.indexOf("</main>");
  res.writeHead(200, pageHeaders(site, secure)).write(html.slice(0, cut));
  await sleep(f.slowLcp);
  res.end(`<h1 style="font-size:48px">${"The main content arrives late. ".repeat(12)}</h1>${html.slice(cut)}`);
}

function api(site: FaultSite, path: string, req: http.IncomingMessage, res: http.ServerResponse): void {
  const f = site.faults;
  const cors: Record<string, string> = f.wildcardCors ? { "access-control-allow-origin": "*", "access-control-allow-credentials": "true" } : {};
  const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
    void res.writeHead(status, { "content-type": "application/json", ...cors, ...headers }).end(JSON.stringify(body));
  const authed = req.headers.authorization === `Bearer ${CREDENTIALS.bearer}` || (req.headers.cookie ?? "").includes(CREDENTIALS.cookie);
  switch (path) {
    case "/api/admin/bots/health":
      return authed || f.anonymousAdmin ? json(200, { status: "ok" }) : json(401, { error: "unauthorized" });
    case "/api/admin/bots/logs":
      if (f.endpoint500) return json(500, { error: "internal" });
      return authed ? json(200, { entries: [] }) : json(401, { error: "unauthorized" });
    case "/api/admin/bots/database":
      if (f.flakyEndpoint && f.flakyEndpoint > 0) {
        f.flakyEndpoint--;
        return json(503, { error: "warming up" });
      }
      return authed ? json(200, { status: "ok" }) : json(401, { error: "unauthorized" });
    case STATUS_ENDPOINT:
      return f.rateLimited ? json(429, { error: "too many requests" }, { "retry-after": "30" }) : json(200, { status: "ok" });
    case "/api/auth/session":
      if (f.brokenSession) return void res.writeHead(500, { "content-type": "text/html" }).end("<p>Server error</p>");
      return json(200, {});
    case "/api/auth/providers": {
      const origin = f.wrongAuthUrl ? "https://wrong.example.com" : site.url;
      const body = { credentials: { id: "credentials", name: "Credentials", type: "credentials", signinUrl: `${origin}/api/auth/signin/credentials`, callbackUrl: `${origin}/api/auth/callback/credentials` } };
      return void setTimeout(() => json(200, body), f.slowEndpoint ?? 0);
    }
    case "/api/auth/csrf":
      if (f.hangingEndpoint) return; // never answers
      return json(200, { csrfToken: "t0k3n" });
    default:
      return json(404, { error: "not found" });
  }
}
