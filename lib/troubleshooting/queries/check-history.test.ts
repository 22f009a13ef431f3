// Percentiles of the per-check history: computed in PostgreSQL (percentile_cont), each shown only
// from enough samples ("n too small" below), per target (two targets never mix) and per day.
import { describe, expect, it } from "vitest";
import { createTestDatabase } from "../../../fixtures/test/databases";
import { createPrismaClient } from "../../db";
import { checkHistory, honestPercentile } from "./check-history";

describe("per-check history", () => {
  it("shows a percentile only from enough samples, from the target's own samples", async () => {
    const prisma = createPrismaClient(await createTestDatabase());
    try {
      const now = Date.now();
      const at = (hoursAgo: number) => new Date(now - hoursAgo * 3_600_000);
      const url = "https://shop.example/api/health";
      // 120 timed answers of 1..120 ms, 5 failures (no latency), and one stalled sample (no latency).
      const rows = [
        ...Array.from({ length: 120 }, (_, i) => ({ targetKey: "a", runId: `r${i % 12}`, code: "probe.endpoint", subject: url, outcome: "passed", latencyMs: i + 1, at: at(1) })),
        ...Array.from({ length: 5 }, () => ({ targetKey: "a", runId: "r0", code: "probe.endpoint", subject: url, outcome: "failed", latencyMs: null, at: at(1) })),
        { targetKey: "a", runId: "r0", code: "probe.endpoint", subject: url, outcome: "passed", latencyMs: null, at: at(1) },
        // 7 page requests: enough for a median (5), too few for a p95 (20) or a p99 (100).
        ...Array.from({ length: 7 }, (_, i) => ({ targetKey: "a", runId: `r${i}`, code: "probe.page", subject: "https://shop.example/", outcome: "passed", latencyMs: 100 * (i + 1), at: at(2) })),
        // Another target's samples of the same URL, far slower: never in target a's figures.
        ...Array.from({ length: 30 }, () => ({ targetKey: "b", runId: "rb", code: "probe.endpoint", subject: url, outcome: "passed", latencyMs: 9_000, at: at(1) })),
        // Checks: one per run, over two days; and an old one, out of the 24h range.
        { targetKey: "a", runId: "r1", code: "web.slow_ttfb", subject: "", outcome: "passed", latencyMs: null, at: at(1) },
        { targetKey: "a", runId: "r2", code: "web.slow_ttfb", subject: "", outcome: "failed", latencyMs: null, at: at(1) },
        { targetKey: "a", runId: "r3", code: "web.slow_ttfb", subject: "", outcome: "skipped", latencyMs: null, at: at(30) },
      ];
      await prisma.checkSample.createMany({ data: rows });

      const a = await checkHistory(prisma, "24h", "a");
      const endpoint = a.probes.find((p) => p.kind === "endpoint");
      expect(endpoint?.availability).toEqual({ ok: 121, n: 126 });
      expect(endpoint?.latencyN).toBe(120);
      // percentile_cont over 1..120: p50 60.5, p95 114.05, p99 118.81 (rounded to the ms)
      expect(endpoint?.p50).toEqual({ ms: 61, n: 120, min: 5 });
      expect(endpoint?.p95).toEqual({ ms: 114, n: 120, min: 20 });
      expect(endpoint?.p99).toEqual({ ms: 119, n: 120, min: 100 });
      const page = a.probes.find((p) => p.kind === "page");
      expect(page?.p50).toEqual({ ms: 400, n: 7, min: 5 });
      expect(page?.p95).toEqual({ ms: null, n: 7, min: 20 }); // n too small (n = 7)
      expect(page?.p99).toEqual({ ms: null, n: 7, min: 100 });
      expect(a.checks).toEqual([{ code: "web.slow_ttfb", totals: { passed: 1, failed: 1, skipped: 0, error: 0 }, days: [expect.objectContaining({ passed: 1, failed: 1 })] }]);
      expect((await checkHistory(prisma, "7d", "a")).checks[0]?.totals).toEqual({ passed: 1, failed: 1, skipped: 1, error: 0 });

      const b = await checkHistory(prisma, "24h", "b");
      expect(b.probes).toEqual([expect.objectContaining({ url, availability: { ok: 30, n: 30 }, p50: { ms: 9_000, n: 30, min: 5 }, p95: { ms: 9_000, n: 30, min: 20 }, p99: { ms: null, n: 30, min: 100 } })]);
      expect((await checkHistory(prisma, "24h", "nobody")).probes).toEqual([]);
    } finally {
      await prisma.$disconnect();
    }
  });

  it("says n too small rather than a percentile of too few samples", () => {
    expect(honestPercentile("p95", 812.4, 19)).toEqual({ ms: null, n: 19, min: 20 });
    expect(honestPercentile("p95", 812.4, 20)).toEqual({ ms: 812, n: 20, min: 20 });
    expect(honestPercentile("p99", 900, 99)).toEqual({ ms: null, n: 99, min: 100 });
    expect(honestPercentile("p50", null, 0)).toEqual({ ms: null, n: 0, min: 5 });
  });
});
