// The prober is part of the measurement: its own stalls (a starved CPU, a blocked event loop)
// must not become the target's latency, and a really slow endpoint must still be found.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { keepCoresBusy } from "../../../../fixtures/test/busy-cores";
import { type FaultSite, startFaultSite } from "../../../../fixtures/test/fault-site";
import { diagnose, found, siteTarget } from "../../../../fixtures/test/site-bots";

const LATENCY_CODES = ["net.high_latency", "web.slow_ttfb"];
const latencyFindings = (result: Awaited<ReturnType<typeof diagnose>>) => found(result).filter(([code]) => LATENCY_CODES.includes(code));

let site: FaultSite | undefined;
afterEach(async () => {
  await site?.close();
  site = undefined;
});

describe("latency checks while the prober's machine is busy", () => {
  // Four processes spinning on a two-core machine: the prober (and here the target, which runs in
  // the same process) gets a third of a core at best, in slices.
  keepCoresBusy(4);

  it("reports no latency on a fast healthy site, in any of 4 runs of each bot, though the prober stalls once in each", async () => {
    site = await startFaultSite();
    const runs: [string, string, string][][] = [];
    for (let run = 0; run < 4; run++) {
      for (const domain of ["network", "web"] as const) {
        // What a real run adds to the busy machine: one long pause of the prober mid-sampling
        // (Chromium being unpacked, a GC), as every endpoint waits for an answer.
        const stall = stallOnceAfter(site, 25, 1_100);
        runs.push(latencyFindings(await diagnose(domain, siteTarget(site.url, { browser: false }))));
        expect(stall.stalled(), "the stall happened").toBe(true);
        stall.cancel();
      }
    }
    expect(runs).toEqual(Array(8).fill([]));
  }, 300_000);

  it("still finds an endpoint that takes 1.5 s every time, in each of 2 runs", async () => {
    site = await startFaultSite({ faults: { slowEndpoint: 1_500 } });
    for (let run = 0; run < 2; run++) {
      const result = await diagnose("network", siteTarget(site.url, { browser: false }));
      expect(found(result).filter(([code]) => code === "net.high_latency")).toEqual([["net.high_latency", "medium", "/api/auth/providers"]]);
    }
  }, 300_000);
});

/** Blocks this process's event loop, as a long GC pause or a synchronous task of the prober does. */
function busyWait(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until) {
    /* spin */
  }
}

/** Stalls this process once for `ms`, as soon as the site has answered `afterHits` more requests. */
function stallOnceAfter(site: FaultSite, afterHits: number, ms: number) {
  const total = () => [...site.hits.values()].reduce((a, b) => a + b, 0);
  const start = total();
  let stalled = false;
  const poll = setInterval(() => {
    if (total() - start < afterHits) return;
    clearInterval(poll);
    stalled = true;
    busyWait(ms);
  }, 1);
  return { stalled: () => stalled, cancel: () => clearInterval(poll) };
}

describe("a stall of the prober's own event loop", () => {
  let server: http.Server;
  let url = "";
  let hits = 0;
  beforeAll(async () => {
    // A fast endpoint; on its 2nd to 7th requests the process (prober and server alike) stalls
    // for a second just after answering, while the prober is still to read the answer's headers:
    // more than half of the samples would take a second.
    server = http.createServer((req, res) => {
      hits++;
      res.writeHead(200, { "content-type": "application/json" }).end("{}");
      if (hits >= 2 && hits <= 7) setImmediate(() => busyWait(1_100));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it("does not become a latency finding on a fast endpoint", async () => {
    const result = await diagnose("network", siteTarget(url, { browser: false, endpoints: [`${url}/api/fast`] }));
    expect(hits).toBeGreaterThan(7);
    expect(found(result).filter(([code]) => code === "net.high_latency")).toEqual([]);
  });
});
