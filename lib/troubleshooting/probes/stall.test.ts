import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createFetcher } from "../site/fetcher";
import { type Sample, confirmSlow, sampleEndpoint, slowTogether } from "../site/sampling";
import { STALL_THRESHOLD_MS, watchStalls } from "./stall";

/** Blocks the event loop, as a long GC pause or a synchronous task does. */
function busyWait(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until) {
    /* spin */
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("the stall watch", () => {
  it("places a blocked event loop in time, with its size", async () => {
    const watch = watchStalls();
    try {
      await sleep(50);
      const before = performance.now();
      await sleep(50);
      const t0 = performance.now();
      busyWait(400);
      await sleep(30); // lets the timer see it
      const t1 = performance.now();
      expect(watch.stallDuring(t0, t1)).toBeGreaterThanOrEqual(350);
      // Nothing stalls for half a second while merely waiting.
      expect(watch.stallDuring(before - 50, before, 300)).toBe(0);
    } finally {
      watch.stop();
    }
  });

  it("sees a stall that has just ended, before its timer has had a turn", () => {
    const watch = watchStalls();
    try {
      const t0 = performance.now();
      busyWait(300);
      expect(watch.stallDuring(t0, performance.now())).toBeGreaterThanOrEqual(250);
    } finally {
      watch.stop();
    }
  });

  it("keeps watching while any watch is open, and knows nothing of stalls nobody watched", async () => {
    const first = watchStalls();
    const second = watchStalls();
    first.stop();
    first.stop(); // harmless twice: it must not stop the other watch's timer
    const t0 = performance.now();
    busyWait(200);
    await sleep(30);
    expect(second.stallDuring(t0, performance.now())).toBeGreaterThanOrEqual(150);
    second.stop();

    const unwatchedFrom = performance.now();
    busyWait(200);
    const unwatchedTo = performance.now();
    const later = watchStalls();
    await sleep(30);
    expect(later.stallDuring(unwatchedFrom + 1, unwatchedTo)).toBe(0);
    later.stop();
  });
});

describe("sampling with the stall watch", () => {
  let server: http.Server;
  let url = "";
  let stallOnHit = 0;
  let hits = 0;
  beforeAll(async () => {
    // Answers at once; on one chosen request the process stalls just after answering, while the
    // prober is still to read the answer's headers.
    server = http.createServer((req, res) => {
      hits++;
      res.writeHead(200).end("ok");
      if (hits === stallOnHit) setImmediate(() => busyWait(600));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it("discards a sample the prober stalled during, and takes another", async () => {
    hits = 0;
    stallOnHit = 2;
    const result = await sampleEndpoint(createFetcher(new AbortController().signal, null), url, { samples: 5, timeoutMs: 5_000, budgetMs: 60_000 }, false);
    expect(result.samples).toHaveLength(5);
    expect(result.samples.every((s) => s.status === 200 && s.stallMs === undefined)).toBe(true);
    expect(Math.max(...result.samples.map((s) => s.ms))).toBeLessThan(500);
    expect(result.discarded.count).toBeGreaterThanOrEqual(1);
    expect(result.discarded.maxStallMs).toBeGreaterThanOrEqual(STALL_THRESHOLD_MS);
    expect(Math.max(...result.discarded.samplesMs)).toBeGreaterThanOrEqual(500);
    expect(hits).toBe(5 + result.discarded.count);
  });

  it("does not confirm a fast endpoint as slow because of a stall", async () => {
    hits = 0;
    stallOnHit = 1;
    const confirmation = await confirmSlow(createFetcher(new AbortController().signal, null), url, { thresholdMs: 300, timeoutMs: 5_000 });
    expect(confirmation.confirmed).toBe(false);
    expect(confirmation.discarded.count).toBeGreaterThanOrEqual(1);
  });
});

describe("samples slow together", () => {
  const endpoint = (times: [number, number][]): { samples: Sample[] } => ({ samples: times.map(([at, ms]) => ({ at, ms, status: 200 })) });
  /** Ten 5 ms samples, 100 ms apart; the one numbered `slowAt` takes 1.1 s. */
  const fast = (slowAt: number | null) => endpoint(Array.from({ length: 10 }, (_, i): [number, number] => [i * 100, slowAt === i ? 1_100 : 5]));

  it("flags the one slow moment every endpoint shares", () => {
    const endpoints = Array.from({ length: 6 }, () => fast(1));
    const flagged = slowTogether(endpoints);
    expect(flagged.size).toBe(6);
    for (const e of endpoints) expect(flagged.has(e.samples[1] as Sample)).toBe(true);
  });

  it("does not flag an endpoint that is slow every time, nor a moment only one endpoint had", () => {
    const slow = endpoint(Array.from({ length: 10 }, (_, i): [number, number] => [i * 1_600, 1_500]));
    const lonely = fast(3);
    expect(slowTogether([slow, lonely, fast(null), fast(null), fast(null)]).size).toBe(0);
  });
});
