import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { diagnose, siteTarget } from "../../../fixtures/test/site-bots";

const PAGE = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Home</title><link rel="icon" href="data:,"></head><body><main><h1>Home</h1></main></body></html>`;

let server: http.Server;
let url: string;
let together = false;

beforeAll(async () => {
  const waiting: (() => void)[] = [];
  server = http.createServer((req, res) => {
    const answer = () => void res.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(PAGE);
    if (new URL(req.url ?? "/", "http://x").pathname !== "/") return void res.writeHead(404).end();
    // The home page answers only once a second request for it arrives while the first waits:
    // the crawl and the browser must be fetching it at the same time, not one after the other.
    if (!together && waiting.length === 0) return void waiting.push(answer);
    together = true;
    for (const release of waiting.splice(0)) release();
    answer();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => {
  server.closeAllConnections();
  server.close();
});

describe("browser checks", () => {
  it("load the home page in Chromium while the crawl is still fetching it", async () => {
    const result = await diagnose("web", siteTarget(url, { browser: true, endpoints: [] }));
    expect(together).toBe(true);
    const browserChecks = result.checks.filter((c) => ["web.console_errors", "web.hydration_error", "web.layout_shift", "web.slow_page_load"].includes(c.code));
    expect(browserChecks.map((c) => `${c.code}:${c.status}`).sort()).toEqual(["web.console_errors:passed", "web.hydration_error:passed", "web.layout_shift:passed", "web.slow_page_load:passed"]);
  });
});

describe("browser checks on a home page that redirects", () => {
  it("load the page it lands on once, and judge it under its final URL", async () => {
    const chromiumVisits: string[] = [];
    const redirecting = http.createServer((req, res) => {
      const path = new URL(req.url ?? "/", "http://x").pathname;
      if (path === "/") return void res.writeHead(302, { location: "/en" }).end();
      if (path !== "/en") return void res.writeHead(404).end();
      if (req.headers["user-agent"]?.includes("HeadlessChrome")) chromiumVisits.push(path);
      res.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(PAGE);
    });
    await new Promise<void>((resolve) => redirecting.listen(0, "127.0.0.1", resolve));
    const base = `http://127.0.0.1:${(redirecting.address() as AddressInfo).port}`;
    try {
      const result = await diagnose("web", siteTarget(base, { browser: true, endpoints: [] }));
      expect(chromiumVisits).toEqual(["/en"]);
      expect(result.checks.find((c) => c.code === "web.slow_page_load")?.status).toBe("passed");
    } finally {
      redirecting.closeAllConnections();
      redirecting.close();
    }
  });
});
