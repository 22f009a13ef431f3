// fetch_page against real loopback servers: the target's page with timing, headers and an
// excerpt; other origins, schemes and blocked addresses refused; credentials sent only over
// verified https to the target's origin; a redirect off the origin not followed.
import http from "node:http";
import https from "node:https";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeCertificates } from "../../../../fixtures/test/certificates";
import { callTool, okResult, toolContext } from "../../../../fixtures/test/investigation-tools";
import { fetchPage } from "./fetch-page";

interface Seen { path: string; authorization?: string; cookie?: string }
const BEARER = "target-bearer-7c1e";
const COOKIE = "session=abc123secret";

function site(seen: Seen[], otherOrigin: () => string) {
  return (req: http.IncomingMessage, res: http.ServerResponse) => {
    seen.push({ path: req.url ?? "", authorization: req.headers.authorization, cookie: req.headers.cookie });
    if (req.url === "/pricing") {
      res.writeHead(200, { "content-type": "text/html; charset=utf-8", "set-cookie": "sid=server-secret; HttpOnly", "x-powered-by": "Next.js", "cache-control": "no-store" });
      res.end(`<html><head><title>Pricing &amp; plans</title><style>.x{color:red}</style><script>var token = "in-script";</script></head><body><h1>Plans</h1><p>Pro costs 20 &euro; a month.</p></body></html>`);
    } else if (req.url === "/api/health") {
      res.writeHead(503, { "content-type": "application/json" }).end(JSON.stringify({ status: "down", database: "timeout" }));
    } else if (req.url === "/old") {
      res.writeHead(301, { location: "/pricing" }).end();
    } else if (req.url === "/away") {
      res.writeHead(302, { location: `${otherOrigin()}/collect` }).end();
    } else {
      res.writeHead(404, { "content-type": "text/plain" }).end("not here");
    }
  };
}

const httpsSeen: Seen[] = [];
const httpSeen: Seen[] = [];
const otherSeen: Seen[] = [];
let httpsServer: https.Server;
let httpServer: http.Server;
let otherServer: http.Server;
let httpsBase = "";
let httpBase = "";
let otherBase = "";
let ca = "";

const listen = async (server: http.Server) => {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return (server.address() as AddressInfo).port;
};

beforeAll(async () => {
  const certs = await makeCertificates();
  ca = certs.ca.cert;
  otherServer = http.createServer(site(otherSeen, () => otherBase));
  otherBase = `http://127.0.0.1:${await listen(otherServer)}`;
  httpsServer = https.createServer({ key: certs.valid.key, cert: certs.valid.cert }, site(httpsSeen, () => otherBase));
  httpsBase = `https://localhost:${await listen(httpsServer)}`;
  httpServer = http.createServer(site(httpSeen, () => otherBase));
  httpBase = `http://127.0.0.1:${await listen(httpServer)}`;
});
afterAll(async () => {
  for (const server of [httpsServer, httpServer, otherServer]) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

const credentials = (origin: string) => ({ origin, bearer: BEARER, cookie: COOKIE });
const httpsCtx = () => toolContext({ baseUrl: httpsBase, targetOverrides: { caCertificates: ca }, credentials: credentials(httpsBase) });
const httpCtx = () => toolContext({ baseUrl: httpBase, credentials: credentials(httpBase) });

describe("fetch_page", () => {
  it("fetches a path on the target over https with its CA and credentials: status, timing, headers without secrets, excerpt", async () => {
    httpsSeen.length = 0;
    const result = await okResult(fetchPage, { url: "/pricing" }, httpsCtx());
    expect(result).toMatchObject({ url: `${httpsBase}/pricing`, status: 200, redirects: [], title: "Pricing & plans", excerpt: "Plans Pro costs 20 € a month.", contentType: "text/html; charset=utf-8" });
    expect(result.headers).toMatchObject({ "set-cookie": "[removed]", "x-powered-by": "Next.js", "cache-control": "no-store" });
    expect(JSON.stringify(result)).not.toMatch(/server-secret|in-script|abc123secret|target-bearer/);
    expect(result.ttfbMs).toEqual(expect.any(Number));
    expect(result.totalMs as number).toBeGreaterThanOrEqual(result.ttfbMs as number);
    expect(result.bodyBytes).toBeGreaterThan(100);
    expect(httpsSeen).toEqual([{ path: "/pricing", authorization: `Bearer ${BEARER}`, cookie: COOKIE }]);

    const health = await okResult(fetchPage, { url: `${httpsBase}/api/health` }, httpsCtx());
    expect(health).toMatchObject({ status: 503, excerpt: '{"status":"down","database":"timeout"}', title: null });
  });

  it("follows a redirect within the origin, and not one that leaves it", async () => {
    const moved = await okResult(fetchPage, { url: "/old" }, httpsCtx());
    expect(moved).toMatchObject({ status: 200, url: `${httpsBase}/pricing`, redirects: [{ from: `${httpsBase}/old`, to: `${httpsBase}/pricing`, status: 301, followed: true }] });
    otherSeen.length = 0;
    const away = await okResult(fetchPage, { url: "/away" }, httpsCtx());
    expect(away).toMatchObject({ status: 302, url: `${httpsBase}/away`, redirects: [{ to: `${otherBase}/collect`, followed: false }] });
    expect(otherSeen).toEqual([]);
  });

  it("never sends the credentials over plain http", async () => {
    httpSeen.length = 0;
    expect(await okResult(fetchPage, { url: "/pricing" }, httpCtx())).toMatchObject({ status: 200 });
    expect(httpSeen).toEqual([{ path: "/pricing", authorization: undefined, cookie: undefined }]);
  });

  it("refuses other origins, other schemes and addresses the policy blocks, without a request", async () => {
    otherSeen.length = 0;
    httpsSeen.length = 0;
    for (const url of [`${otherBase}/pricing`, "file:///etc/passwd", "javascript:alert(1)", "http://169.254.169.254/latest/meta-data/", "//evil.example/x", `${httpsBase.replace("https:", "http:")}/pricing`, "pricing"]) {
      const outcome = await callTool(fetchPage, { url }, httpsCtx());
      expect(outcome, url).toMatchObject({ status: "refused" });
    }
    expect(await callTool(fetchPage, { url: "file:///etc/passwd" }, httpsCtx())).toEqual({ status: "refused", reason: "only http(s) URLs of the target are fetched, not file:" });
    // A target on a metadata address itself: the address policy refuses it before connecting.
    const metadata = toolContext({ baseUrl: "http://169.254.169.254" });
    expect(await callTool(fetchPage, { url: "/latest/meta-data/" }, metadata)).toEqual({ status: "refused", reason: expect.stringContaining("refused to probe 169.254.169.254") });
    expect(await callTool(fetchPage, { url: "/x", headers: { authorization: "x" } }, httpsCtx())).toMatchObject({ status: "refused" });
    expect(otherSeen).toEqual([]);
    expect(httpsSeen).toEqual([]);
  });
});
