// The browser at the target boundary: the target's credentials reach Chromium's requests to the
// target's own origin over verified TLS, never a redirect to another origin, never plain http;
// and a page cannot make Chromium reach what the address policy refuses.
import http from "node:http";
import https from "node:https";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type TestCertificates, makeCertificates } from "../../../fixtures/test/certificates";
import { testTarget } from "../../../fixtures/test/engine";
import { createSiteProbe } from "./site-probe";

const SECRET = { cookie: "twin_session=cookie-secret-42", bearer: "bearer-secret-42" };
const page = (body: string) => `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>t</title><link rel="icon" href="data:,"></head><body>${body}</body></html>`;

interface Seen {
  path: string;
  authorization?: string;
  cookie?: string;
  chromium: boolean;
}

function listen(server: http.Server | https.Server, host = "127.0.0.1"): Promise<number> {
  return new Promise((resolve) => server.listen(0, host, () => resolve((server.address() as AddressInfo).port)));
}

let certs: TestCertificates;
const servers: (http.Server | https.Server)[] = [];
beforeAll(async () => {
  certs = await makeCertificates();
});
afterAll(() => {
  for (const s of servers) {
    s.closeAllConnections();
    s.close();
  }
});

/** A server that records who asked for what, answering with `route(path)`. */
async function recordingServer(secure: boolean, route: (path: string, res: http.ServerResponse) => void, host = "127.0.0.1"): Promise<{ url: string; seen: Seen[] }> {
  const seen: Seen[] = [];
  const handler = (req: http.IncomingMessage, res: http.ServerResponse) => {
    const path = new URL(req.url ?? "/", "http://x").pathname;
    seen.push({ path, authorization: req.headers.authorization, cookie: req.headers.cookie, chromium: req.headers["user-agent"]?.includes("HeadlessChrome") ?? false });
    route(path, res);
  };
  const server = secure ? https.createServer({ cert: certs.valid.cert, key: certs.valid.key }, handler) : http.createServer(handler);
  servers.push(server);
  const port = await listen(server, host);
  return { url: `${secure ? "https" : "http"}://localhost:${port}`, seen };
}

async function browse(baseUrl: string) {
  const target = testTarget(baseUrl, "postgresql://nobody:none@127.0.0.1:9/none", { browser: true, caCertificates: certs.ca.cert, crawlLimit: 5 });
  const controller = new AbortController();
  try {
    const probe = createSiteProbe(target, controller.signal, { credentials: { origin: "https://configured.invalid", ...SECRET } });
    return await probe.browser();
  } finally {
    controller.abort();
  }
}

describe("credentials in the browser", () => {
  it("ride on the target's own https requests, and not onto a redirect to another origin", async () => {
    const other = await recordingServer(true, (_path, res) => void res.writeHead(200, { "content-type": "text/html" }).end(page("<h1>elsewhere</h1>")));
    const site = await recordingServer(true, (path, res) => {
      if (path === "/") return void res.writeHead(200, { "content-type": "text/html" }).end(page(`<h1>home</h1><script>setTimeout(() => { location.href = "/r"; }, 50)</script>`));
      if (path === "/r") return void res.writeHead(302, { location: `${other.url}/landed` }).end();
      res.writeHead(404).end();
    });
    const report = await browse(site.url);
    expect(report.available).toBe(true);
    // The configured credentials are bound to the run's base URL, and reach Chromium's requests there.
    const home = site.seen.find((s) => s.chromium && s.path === "/");
    expect(home?.authorization).toBe(`Bearer ${SECRET.bearer}`);
    expect(home?.cookie).toContain(SECRET.cookie);
    expect(site.seen.some((s) => s.chromium && s.path === "/r")).toBe(true);
    // The redirect was followed by the browser, without them.
    const landed = other.seen.filter((s) => s.path === "/landed");
    expect(landed.length).toBeGreaterThan(0);
    for (const s of other.seen) {
      expect(s.authorization).toBeUndefined();
      expect(s.cookie ?? "").not.toContain("cookie-secret-42");
    }
  });

  it("are never sent over plain http", async () => {
    const site = await recordingServer(false, (_path, res) => void res.writeHead(200, { "content-type": "text/html" }).end(page("<h1>plain</h1>")));
    await browse(site.url);
    expect(site.seen.length).toBeGreaterThan(0);
    for (const s of site.seen) {
      expect(s.authorization).toBeUndefined();
      expect(s.cookie ?? "").not.toContain("cookie-secret-42");
    }
  });
});

describe("the address policy in the browser", () => {
  it("refuses a page's request to 0.0.0.0 and reports it", async () => {
    const refusedHost = await recordingServer(false, (_path, res) => void res.writeHead(200, { "content-type": "image/gif" }).end(), "0.0.0.0");
    const port = new URL(refusedHost.url).port;
    const site = await recordingServer(false, (path, res) => {
      if (path === "/") return void res.writeHead(200, { "content-type": "text/html" }).end(page(`<h1>home</h1><img src="http://0.0.0.0:${port}/x.gif" alt=""><script>fetch("http://0.0.0.0:${port}/api").catch(() => {})</script>`));
      res.writeHead(404).end();
    });
    const report = await browse(site.url);
    expect(report.pages.map((p) => new URL(p.url).pathname)).toEqual(["/"]);
    expect(refusedHost.seen).toEqual([]);
    expect(report.refused.map((r) => new URL(r.url).pathname).sort()).toEqual(["/api", "/x.gif"]);
  });
});
