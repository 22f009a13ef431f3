import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, describe, expect, it } from "vitest";
import { makeCertificates } from "../../../../fixtures/test/certificates";
import { type FaultSite, startFaultSite } from "../../../../fixtures/test/fault-site";
import { siteTarget } from "../../../../fixtures/test/site-bots";
import { assessBaseUrl } from "./assess";

let site: FaultSite | undefined;
afterAll(() => site?.close());

describe("system assessment", () => {
  it("reaches an https target behind a private CA when the run trusts that CA, and says why not otherwise", async () => {
    const certs = await makeCertificates();
    site = await startFaultSite({ tls: certs.valid, faults: {}, host: "localhost" });
    expect(await assessBaseUrl({ target: siteTarget(site.url, { caCertificates: certs.ca.cert }) })).toMatchObject({ reachable: true, status: 200 });
    const untrusted = await assessBaseUrl({ target: siteTarget(site.url) });
    expect(untrusted.reachable).toBe(false);
    expect(untrusted).toEqual({ reachable: false, error: "TLS error (UNABLE_TO_VERIFY_LEAF_SIGNATURE)" });
  });

  it("reads a slow, streamed page only until its build id, and does not wait for the rest", async () => {
    let finished = false;
    let closedEarly = false;
    const server = http.createServer((req, res) => {
      res.writeHead(200, { "content-type": "text/html" });
      res.write('<html><head><script src="/_next/static/build-7f3a/_buildManifest.js"></script></head><body>');
      // The rest of the page streams for 30 s; an assessment that waits for it is the slow part of a run.
      const timer = setTimeout(() => ((finished = true), res.end("</body></html>")), 30_000);
      res.on("close", () => {
        clearTimeout(timer);
        closedEarly = !finished;
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
      expect(await assessBaseUrl({ target: siteTarget(url) })).toMatchObject({ reachable: true, status: 200, nextBuildId: "build-7f3a" });
      await expect.poll(() => closedEarly).toBe(true);
      expect(finished).toBe(false);
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });

  // Issue 18 item 7: the all-faults site has no build id, and its home page pauses 2.8 s before
  // its main content; the assessment waited for the whole page before any bot started.
  it("stops reading a page without a build id once it pauses, and once more is read than could match", async () => {
    const sent = { paused: 0, flowing: 0 };
    const server = http.createServer((req, res) => {
      res.writeHead(200, { "content-type": "text/html" });
      if (req.url === "/paused") {
        // The shell, then nothing until the client goes away (a Suspense boundary that never resolves).
        res.write(`<html><head><title>no build id</title></head><body>${"x".repeat(10_000)}`);
        sent.paused = 1;
        return;
      }
      // 64 KiB every 50 ms without end: never idle, never a build id.
      const timer = setInterval(() => {
        res.write("y".repeat(64 * 1024));
        sent.flowing++;
      }, 50);
      res.on("close", () => clearInterval(timer));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      expect(await assessBaseUrl({ target: siteTarget(`${base}/paused`) })).toMatchObject({ reachable: true, status: 200, nextBuildId: null });
      expect(await assessBaseUrl({ target: siteTarget(`${base}/flowing`) })).toMatchObject({ reachable: true, status: 200, nextBuildId: null });
      // 512 KiB is all a build id is looked for in: reading stopped within a chunk or two of it.
      expect(sent.flowing).toBeLessThan(12);
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });
});
