// Discovery on a small loopback site whose navigation is rendered by a script, with a sitemap
// index, a robots.txt and two links that land on the same page; and what a script's text tells
// of the API routes it calls.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testTarget } from "../../../fixtures/test/engine";
import { diagnose, found } from "../../../fixtures/test/site-bots";
import { apiPathsIn, wholePaths } from "./api-refs";
import { parseSitemap } from "./discovery";
import { createSiteProbe } from "./site-probe";

const page = (body: string) => `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>t</title><link rel="icon" href="data:,"></head><body>${body}</body></html>`;
const NAV = `<nav id="nav"></nav><script src="/nav.js"></script>`;
const NAV_JS = `document.getElementById("nav").innerHTML = '<a href="/a">A</a> <a href="/old">Old</a> <a href="/older">Older</a>'; fetch("/api/menu").catch(() => {});`;

let server: http.Server;
let url: string;
beforeAll(async () => {
  server = http.createServer((req, res) => {
    const path = new URL(req.url ?? "/", "http://x").pathname;
    const html = (body: string) => void res.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(page(body));
    if (path === "/" || path === "/a" || path === "/b" || path === "/new" || path === "/from-sitemap") return html(`<h1>${path}</h1>${NAV}`);
    if (path === "/nav.js") return void res.writeHead(200, { "content-type": "text/javascript" }).end(NAV_JS);
    if (path === "/old" || path === "/older") return void res.writeHead(301, { location: "/new" }).end();
    if (path === "/api/menu") return void res.writeHead(200, { "content-type": "application/json" }).end("[]");
    if (path === "/robots.txt") return void res.writeHead(200, { "content-type": "text/plain" }).end(`User-agent: *\nSitemap: ${url}/sitemap-index.xml\n`);
    if (path === "/sitemap-index.xml") return void res.writeHead(200, { "content-type": "application/xml" }).end(`<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><sitemap><loc>${url}/pages.xml</loc></sitemap></sitemapindex>`);
    if (path === "/pages.xml") return void res.writeHead(200, { "content-type": "application/xml" }).end(`<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>${url}/from-sitemap</loc></url><url><loc>https://elsewhere.invalid/x</loc></url></urlset>`);
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => {
  server.closeAllConnections();
  server.close();
});

async function discovery(browser: boolean) {
  const controller = new AbortController();
  try {
    const probe = createSiteProbe(testTarget(url, "postgresql://nobody:none@127.0.0.1:9/none", { browser }), controller.signal);
    return { discovery: await probe.discovery(), endpoints: await probe.endpoints() };
  } finally {
    controller.abort();
  }
}

describe("discovery", () => {
  it("follows links rendered by scripts and the sitemap robots.txt names, and reports two links landing on one page once", async () => {
    const { discovery: found, endpoints } = await discovery(true);
    const how = Object.fromEntries(found.pages.map((p) => [new URL(p.url).pathname, p.foundBy]));
    expect(how).toEqual({ "/": ["start"], "/a": ["rendered-link"], "/old": ["rendered-link"], "/older": ["rendered-link"], "/from-sitemap": ["sitemap"] });
    expect(found.sitemapPages).toBe(1); // the other origin's URL is not ours to check
    // /old and /older both land on /new: the browser's view has it once.
    expect(found.browser.pages.map((p) => new URL(p.url).pathname).sort()).toEqual(["/", "/a", "/from-sitemap", "/new"]);
    // The route the script fetched, found by the browser's request and by its text.
    expect(endpoints.map((e) => [new URL(e.url).pathname, e.sources.sort()])).toEqual([["/api/menu", ["browser", "script"]]]);
  });

  it("without the browser, sees the server HTML's links and the sitemap only", async () => {
    const { discovery: found } = await discovery(false);
    expect(found.pages.map((p) => new URL(p.url).pathname)).toEqual(["/", "/from-sitemap"]);
    expect(found.browser).toMatchObject({ available: false, reason: "browser checks are disabled for this run" });
  });
});

describe("sitemaps and scripts as text", () => {
  it("reads the pages and nested sitemaps of a sitemap", () => {
    expect(parseSitemap(`<urlset><url><loc> https://s.test/a </loc></url></urlset>`)).toEqual({ pages: ["https://s.test/a"], sitemaps: [] });
    expect(parseSitemap(`<sitemapindex><sitemap><loc>https://s.test/p.xml</loc></sitemap></sitemapindex>`)).toEqual({ pages: [], sitemaps: ["https://s.test/p.xml"] });
  });

  it("takes whole /api paths named in a script, not a template's prefix, a file or a base path others extend", () => {
    const script = `fetch("/api/admin/users");const u=\`/api/posts/\${id}\`;x("/api/auth");y('/api/auth/session');z("/api/search?q="+q);w("/api/chunk.js")`;
    expect(wholePaths(apiPathsIn(script)).sort()).toEqual(["/api/admin/users", "/api/auth/session", "/api/search"]);
  });
});

describe("a link that redirects to an address the policy refuses", () => {
  it("is not followed (another origin) and is counted, while every web check judges the other pages (a real 404 image is still found)", async () => {
    const hostile = http.createServer((req, res) => {
      const path = new URL(req.url ?? "/", "http://x").pathname;
      if (path === "/") return void res.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(page(`<h1>home</h1><a href="/z">z</a><a href="/b">b</a><img src="/missing.png" alt="">`));
      if (path === "/b") return void res.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(page("<h1>b</h1>"));
      if (path === "/z") return void res.writeHead(302, { location: "http://0.0.0.0:1/" }).end();
      res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => hostile.listen(0, "127.0.0.1", resolve));
    const base = `http://127.0.0.1:${(hostile.address() as AddressInfo).port}`;
    try {
      const result = await diagnose("web", testTarget(base, "postgresql://nobody:none@127.0.0.1:9/none", { browser: false }));
      expect(result.checks.filter((c) => c.status === "error").map((c) => `${c.code}: ${c.reason}`)).toEqual([]);
      expect(found(result)).toContainEqual(["web.failed_assets", "medium", "/missing.png"]);
      expect(result.checks.find((c) => c.code === "web.page_coverage")?.note).toMatch(/^Checked 2 pages .*; 1 linked page redirects to another origin, not followed/);
    } finally {
      hostile.closeAllConnections();
      hostile.close();
    }
  });
});
