// A small loopback site shaped like a deployed Next.js app, for the checks that judge what an
// answer contains rather than its status: three pages with a build chunk, a stylesheet and a font
// preload, the traps real platforms have (Vercel's analytics script that 404s off Vercel, a
// third-party beacon that fails), an Auth.js-like /api/auth, and switchable faults.
import http from "node:http";
import type { AddressInfo } from "node:net";

export interface ContentFaults {
  /** The chunk answers 200 text/html (a catch-all page after a deploy). */
  chunkHtml?: boolean;
  /** The chunk answers an HTML page labelled application/javascript. */
  chunkHtmlLabelledJs?: boolean;
  /** Pages answer with `x-vercel-id` and `server: Vercel`. */
  onVercel?: boolean;
  /** Every page fetches /feed.json, which answers 500. */
  feedFails?: boolean;
  /** The pages' Content-Security-Policy has `script-src 'self'`: their inline scripts are refused. */
  cspBlocksInline?: boolean;
  /** The same policy, report-only: nothing is blocked. */
  cspReportOnly?: boolean;
  /** /api/auth/session redirects to /login (a middleware matcher covering /api/auth). */
  authRedirect?: boolean;
  /** /api/auth/providers names this origin as AUTH_URL (default: http://127.0.0.1:<port>). */
  authUrl?: string;
  /** /api/status (fetched by the home page) answers 200 with an HTML page. */
  apiHtml?: boolean;
  /** /api/me (fetched by every page) redirects to /login. */
  apiRedirect?: boolean;
  /** The home page's largest paint comes this late: on every load, or on the browser's first only. */
  slowLcp?: { ms: number; firstOnly?: boolean };
}

export interface ContentSite {
  /** http://localhost:<port> (AUTH_URL names 127.0.0.1, as a real .env often does). */
  url: string;
  port: number;
  faults: ContentFaults;
  close(): Promise<void>;
}

export const CONTENT_PAGES = ["/", "/about", "/pricing"];
export const CONTENT_CHUNK = "/_next/static/chunks/app-3c9e1f2a.js";
const CSS = "/_next/static/css/app-8d2f4b1c.css";
const FONT = "/_next/static/media/inter-5a1b2c3d.woff2";
const SHELL = `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Acme</title></head><body><div id="root">Loading…</div></body></html>`;

export async function startContentSite(faults: ContentFaults = {}): Promise<ContentSite> {
  const site: ContentSite = { url: "", port: 0, faults: { ...faults }, close: async () => {} };
  let homeLoads = 0;
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://x");
    const f = site.faults;
    const send = (status: number, type: string, body: string, headers: Record<string, string> = {}) => res.writeHead(status, { "content-type": type, ...headers }).end(body);
    if (CONTENT_PAGES.includes(url.pathname)) {
      const home = url.pathname === "/";
      if (home && !/Troubleshooter/.test(req.headers["user-agent"] ?? "")) homeLoads++; // loads in a browser
      const lcpDelay = home && f.slowLcp && (!f.slowLcp.firstOnly || homeLoads === 1) ? f.slowLcp.ms : 0;
      const strict = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; connect-src *; img-src * data:; frame-ancestors 'none'";
      const headers: Record<string, string> = {
        "content-type": "text/html; charset=utf-8",
        "x-content-type-options": "nosniff",
        "referrer-policy": "strict-origin-when-cross-origin",
        "content-security-policy": f.cspBlocksInline ? strict : strict.replace("script-src 'self'", "script-src 'self' 'unsafe-inline'"),
      };
      if (f.cspReportOnly) headers["content-security-policy-report-only"] = strict;
      if (f.onVercel) Object.assign(headers, { "x-vercel-id": "fra1::abcde-1700000000000-0123456789ab", server: "Vercel" });
      const html = page(url.pathname, f);
      if (lcpDelay === 0) return void res.writeHead(200, headers).end(html);
      // The main content streams late, as a slow Suspense boundary does.
      const cut = html.indexOf("</main>");
      res.writeHead(200, headers).write(html.slice(0, cut));
      return void setTimeout(() => res.end(`<h1 style="font-size:48px">${"The main content arrives late. ".repeat(12)}</h1>${html.slice(cut)}`), lcpDelay);
    }
    if (url.pathname === CONTENT_CHUNK) {
      if (f.chunkHtml) return send(200, "text/html; charset=utf-8", SHELL);
      if (f.chunkHtmlLabelledJs) return send(200, "application/javascript", SHELL);
      return send(200, "application/javascript; charset=utf-8", "document.documentElement.dataset.hydrated = '1';", { "cache-control": "public, max-age=31536000, immutable" });
    }
    if (url.pathname === CSS) return send(200, "text/css", "body{font-family:sans-serif}", { "cache-control": "public, max-age=31536000, immutable" });
    if (url.pathname === FONT) return send(200, "font/woff2", "wOF2", { "cache-control": "public, max-age=31536000, immutable" });
    if (url.pathname === "/feed.json") return f.feedFails ? send(500, "application/json", '{"error":"upstream"}') : send(200, "application/json", "[]");
    if (url.pathname === "/login") return send(200, "text/html; charset=utf-8", `<!DOCTYPE html><html><head><title>Sign in</title></head><body><form>Sign in</form></body></html>`);
    if (url.pathname === "/api/status") return f.apiHtml ? send(200, "text/html; charset=utf-8", `<!DOCTYPE html><html><head><title>502</title></head><body>Bad gateway</body></html>`) : send(200, "application/json", '{"status":"ok"}');
    if (url.pathname === "/api/me") return f.apiRedirect ? send(307, "text/plain", "", { location: "/login?callbackUrl=%2Fapi%2Fme" }) : send(200, "application/json", "null");
    if (url.pathname === "/api/fragment") return send(200, "text/html; charset=utf-8", `<li>Order #1</li>`);
    if (url.pathname === "/api/auth/session") return f.authRedirect ? send(307, "text/plain", "", { location: "/login" }) : send(200, "application/json", "null");
    if (url.pathname === "/api/auth/csrf") return send(200, "application/json", '{"csrfToken":"abc"}');
    if (url.pathname === "/api/auth/providers") {
      const base = f.authUrl ?? `http://127.0.0.1:${site.port}`;
      return send(200, "application/json", JSON.stringify({ credentials: { id: "credentials", name: "Credentials", type: "credentials", signinUrl: `${base}/api/auth/signin/credentials`, callbackUrl: `${base}/api/auth/callback/credentials` } }));
    }
    // Off Vercel, /_vercel/insights is a 404 like any unknown path.
    return send(404, "text/html; charset=utf-8", `<!DOCTYPE html><html><body>Not found</body></html>`);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  site.port = (server.address() as AddressInfo).port;
  site.url = `http://localhost:${site.port}`;
  site.close = async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  return site;
}

function page(path: string, f: ContentFaults): string {
  const links = CONTENT_PAGES.filter((p) => p !== path).map((p) => `<a href="${p}">${p}</a>`).join(" ");
  const data = [
    "fetch('/api/me').then((r) => r.json()).catch(() => {});",
    path === "/" ? "fetch('/api/status').then((r) => r.json()).then((s) => { document.body.dataset.status = s.status; }).catch((e) => console.error('status widget: ' + e.message));" : "",
    path === "/" ? "fetch('/api/fragment').then((r) => r.text()).then((t) => { document.querySelector('nav').insertAdjacentHTML('beforeend', t); });" : "",
    f.feedFails ? "fetch('/feed.json').catch(() => {});" : "",
    // A third-party beacon that fails (connection refused on another origin).
    "fetch('http://127.0.0.1:9/collect?p=' + location.pathname, { mode: 'no-cors' }).catch(() => {});",
  ].join("\n");
  return `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Acme ${path}</title>
<link rel="stylesheet" href="${CSS}"><link rel="preload" href="${FONT}" as="font" type="font/woff2" crossorigin>
<script src="${CONTENT_CHUNK}" defer></script><script src="/_vercel/insights/script.js" defer></script>
</head><body><main><p>Page ${path}</p><nav>${links}</nav></main><script>${data}</script></body></html>`;
}
