// Issue 18 item 7: on a broken site, the network bot's endpoints waited for the pages to be
// crawled and browsed before the first sample, and a hanging Auth.js endpoint held up the others.
// Real loopback servers; order is read from what the server saw, not from wall-clock limits.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { testTarget } from "../../../fixtures/test/engine";
import { netAuthBroken } from "../checks/network/auth-broken";
import { webSlowTtfb } from "../checks/web/slow-ttfb";
import { noMemory } from "../workflow/memory";
import { createSiteProbe } from "./site-probe";

const NO_DATABASE = "postgresql://nobody:none@127.0.0.1:9/none";
const PLAN = { samples: 3, timeoutMs: 2_000, budgetMs: 500 };
let server: http.Server | undefined;
afterEach(() => {
  server?.closeAllConnections();
  server?.close();
  server = undefined;
});

async function serve(handler: http.RequestListener): Promise<string> {
  server = http.createServer(handler);
  await new Promise<void>((resolve) => server?.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe("the site probe on a broken site", () => {
  it("samples the configured endpoints while the pages are still being read", async () => {
    const seen: string[] = [];
    let sampled: () => void = () => {};
    const endpointAsked = new Promise<void>((resolve) => (sampled = resolve));
    const base = await serve((req, res) => {
      seen.push(req.url ?? "");
      if (req.url?.startsWith("/api/")) return void res.writeHead(200, { "content-type": "application/json" }).end("{}");
      if (req.url !== "/") return void res.writeHead(404).end();
      // The home page answers only once an endpoint was sampled (or after 20 s): sampling that
      // waits for the crawl sees it answer first.
      const late = setTimeout(() => res.writeHead(200, { "content-type": "text/html" }).end("<!doctype html><title>late</title>"), 20_000);
      res.on("close", () => seen.push("home closed")); // answered, or given up by the crawl
      void endpointAsked.then(() => {
        clearTimeout(late);
        if (!res.writableEnded && !res.destroyed) res.writeHead(200, { "content-type": "text/html" }).end("<!doctype html><title>home</title>");
      });
    });
    const target = testTarget(base, NO_DATABASE, { endpoints: [`${base}/api/a`], browser: false });
    const probe = createSiteProbe(target, AbortSignal.timeout(30_000));
    const samples = probe.endpointSamples(PLAN);
    await new Promise<void>((resolve) => {
      const poll = setInterval(() => {
        if (seen.includes("/api/a")) {
          clearInterval(poll);
          resolve();
        }
      }, 10);
    });
    sampled();
    const result = await samples;
    expect(result.map((e) => e.url)).toEqual([`${base}/api/a`]);
    expect(seen.indexOf("/api/a")).toBeLessThan(seen.indexOf("home closed"));
  });

  it("samples, in a probe scoped to some endpoints, none of the other configured ones", async () => {
    const seen: string[] = [];
    const base = await serve((req, res) => {
      seen.push(req.url ?? "");
      res.writeHead(200, { "content-type": "application/json" }).end("{}");
    });
    const target = testTarget(base, NO_DATABASE, { endpoints: [`${base}/api/a`, `${base}/api/b`], browser: false });
    const scoped = [{ url: `${base}/api/a`, sources: ["configured" as const], requestedBy: [], referencedBy: [], methods: [] }];
    const result = await createSiteProbe(target, AbortSignal.timeout(30_000), { endpoints: scoped }).endpointSamples(PLAN);
    expect(result.map((e) => e.url)).toEqual([`${base}/api/a`]);
    expect(seen.filter((u) => u === "/api/b")).toEqual([]);
    expect(seen.filter((u) => u === "/")).toEqual([]);
  });

  it("asks the Auth.js endpoints at once: a hanging one does not hold up the others", async () => {
    const seen: string[] = [];
    const base = await serve((req, res) => {
      seen.push(req.url ?? "");
      if (req.url === "/api/auth/csrf") return; // never answers
      // The session answers once the csrf request is in: asked one after the other, it never is.
      if (req.url === "/api/auth/session") {
        const answer = () => res.writeHead(500, { "content-type": "text/html" }).end("<p>error</p>");
        const poll = setInterval(() => seen.includes("/api/auth/csrf") && (clearInterval(poll), answer()), 10);
        res.on("close", () => clearInterval(poll));
        return;
      }
      res.writeHead(200, { "content-type": "application/json" }).end("{}");
    });
    const target = testTarget(base, NO_DATABASE, { endpoints: ["/api/auth/session", "/api/auth/csrf"].map((p) => `${base}${p}`), browser: false });
    const signal = AbortSignal.timeout(30_000);
    const outcome = await netAuthBroken.run({ target, signal, site: createSiteProbe(target, signal), thresholds: {}, breakerThreshold: 5, memory: noMemory });
    expect(outcome.status).toBe("issues");
    expect(outcome.status === "issues" && outcome.issues.map((i) => i.title)).toEqual(["/api/auth/session: answers 500"]);
  });
});

describe("web.slow_ttfb on a slow start page", () => {
  it("samples the start page while the crawl still reads it", async () => {
    let inFlight = 0;
    let maxInFlight = 0;
    const base = await serve((req, res) => {
      if (req.url !== "/") return void res.writeHead(404).end();
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      setTimeout(() => {
        inFlight--;
        res.writeHead(200, { "content-type": "text/html" }).end("<!doctype html><title>home</title><p>home</p>");
      }, 300);
    });
    const target = testTarget(base, NO_DATABASE, { endpoints: [], browser: false, crawlLimit: 1 });
    const signal = AbortSignal.timeout(30_000);
    const outcome = await webSlowTtfb.run({ target, signal, site: createSiteProbe(target, signal), thresholds: {}, breakerThreshold: 5, memory: noMemory });
    expect(outcome).toMatchObject({ status: "passed", evidence: { pages: [{ url: `${base}/`, of: 5 }] } });
    expect(maxInFlight).toBe(2); // the crawl's request and the first sample, at once
  });
});
