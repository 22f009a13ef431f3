// web.warm_cache against the real fault site: warming that shortens the first byte is applied,
// warming that does not is failed, and only the first request waits for the page's whole body.
import { afterEach, describe, expect, it } from "vitest";
import { type FaultSite, type Faults, startFaultSite } from "../../../../fixtures/test/fault-site";
import { siteTarget } from "../../../../fixtures/test/site-bots";
import { webWarmCache } from "./warm-cache";

let site: FaultSite | undefined;
afterEach(async () => {
  await site?.close();
  site = undefined;
});

async function warm(faults: Faults) {
  site = await startFaultSite({ faults });
  const target = siteTarget(site.url);
  const url = `${site.url}/`;
  // As web.slow_ttfb records it (its medium threshold, 800 ms).
  const params = webWarmCache.plan({ id: "issue", code: "web.slow_ttfb", subject: url, evidence: { url, medianMs: 900, thresholdMs: 800 } });
  if (params === null) throw new Error("web.warm_cache did not plan");
  const started = performance.now();
  const result = await webWarmCache.apply(params, { target, signal: AbortSignal.timeout(20_000), integrations: {}, credentials: null });
  return { params, result, ms: performance.now() - started, hits: site.hits.get("/") ?? 0 };
}

describe("web.warm_cache", () => {
  it("is applied when the page's first byte comes faster once warm (a cold cache)", async () => {
    const { params, result, hits } = await warm({ slowFirstByte: 900, slowRequests: 1 });
    expect(params).toEqual({ url: expect.any(String), requests: 3, slowMs: 800 });
    expect(hits).toBe(3);
    expect(result.ok).toBe(true);
    const [first, ...rest] = (/time to first byte (\d+), (\d+), (\d+) ms/.exec(result.detail) ?? []).slice(1).map(Number);
    expect(first).toBeGreaterThanOrEqual(900);
    for (const ms of rest) expect(ms).toBeLessThan(800);
  });

  it("fails when the last request is as slow as the first: warming did not shorten it", async () => {
    const { result, hits } = await warm({ slowFirstByte: 900 });
    expect(hits).toBe(3);
    expect(result.ok).toBe(false);
    expect(result.detail).toMatch(/^warming did not shorten it: time to first byte \d+, \d+, \d+ ms \(still over 800 ms\)$/);
  });

  it("reads the whole page once, then only the headers", async () => {
    // The home page streams its main content 1.5 s after its headers: three full reads take 4.5 s.
    const { result, ms } = await warm({ slowLcp: 1_500 });
    expect(result.ok).toBe(true);
    expect(ms).toBeGreaterThanOrEqual(1_500);
    expect(ms).toBeLessThan(3_000);
  });
});
