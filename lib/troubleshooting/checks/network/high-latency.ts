import type { Check, IssueDraft } from "../../catalogue";
import { percentile } from "../../site/sampling";
import { outcome } from "../outcome";
import { SAMPLING_THRESHOLDS, answered, endpointSamples } from "./shared";

export const LATENCY_THRESHOLDS = { ...SAMPLING_THRESHOLDS, mediumMs: 1_000, highMs: 3_000 };

export const netHighLatency: Check = {
  code: "net.high_latency",
  domain: "network",
  title: "High latency",
  description: `p95 time to first byte over up to ${SAMPLING_THRESHOLDS.samples} samples per endpoint: medium over ${LATENCY_THRESHOLDS.mediumMs} ms, high over ${LATENCY_THRESHOLDS.highMs} ms.`,
  thresholds: LATENCY_THRESHOLDS,
  async run(ctx) {
    const t = { ...LATENCY_THRESHOLDS, ...ctx.thresholds };
    const sampled = await endpointSamples(ctx);
    if ("outcome" in sampled) return sampled.outcome;
    const measured = sampled.endpoints.map((e) => ({ url: e.url, ms: answered(e).map((s) => s.ms) })).filter((e) => e.ms.length > 0);
    const issues: IssueDraft[] = [];
    for (const { url, ms } of measured) {
      const p95 = percentile(ms, 95);
      if (p95 <= t.mediumMs) continue;
      issues.push({
        severity: p95 > t.highMs ? "high" : "medium",
        title: `${new URL(url).pathname}: p95 latency ${p95} ms`,
        description: `Over ${ms.length} requests the endpoint took up to ${Math.max(...ms)} ms to answer (p95 ${p95} ms, median ${percentile(ms, 50)} ms).`,
        subject: url,
        evidence: { url, p95Ms: p95, medianMs: percentile(ms, 50), samplesMs: ms, thresholdMs: t.mediumMs },
        recommendation: "Profile the endpoint: slow database queries (see the database bot), upstream calls without timeouts, or a cold serverless region far from the database.",
      });
    }
    return outcome(issues, { endpoints: measured.map(({ url, ms }) => ({ url, p95Ms: percentile(ms, 95) })) });
  },
};
