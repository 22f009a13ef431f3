// Slow endpoints, judged on an honest statistic of samples the prober's own stalls did not touch,
// and reported only when measuring again, right then, agrees: a busy prober must not cry wolf.
import type { Check, IssueDraft } from "../../catalogue";
import {
  type EndpointSamples,
  P95_MIN_SAMPLES,
  type Sample,
  confirmSlowOnes,
  confirmationEvidence,
  describeConfirmation,
  describeStatistic,
  keptSamples,
  latencyStatistic,
  slowTogether,
} from "../../site/sampling";
import { outcome } from "../outcome";
import { SAMPLING_THRESHOLDS, endpointSamples } from "./shared";

/** `confirmSamples` fresh samples re-measure an endpoint before it is reported (a majority must be
 * slow too). */
export const LATENCY_THRESHOLDS = { ...SAMPLING_THRESHOLDS, mediumMs: 1_000, highMs: 3_000, confirmSamples: 3 };

export const netHighLatency: Check = {
  code: "net.high_latency",
  domain: "network",
  title: "High latency",
  description:
    `Time to first byte per endpoint over up to ${SAMPLING_THRESHOLDS.samples} samples: its median (its p95 from ${P95_MIN_SAMPLES} samples on), ` +
    `leaving out samples taken while the prober itself stalled; medium over ${LATENCY_THRESHOLDS.mediumMs} ms, high over ${LATENCY_THRESHOLDS.highMs} ms, ` +
    `reported only when ${LATENCY_THRESHOLDS.confirmSamples} fresh samples mostly agree.`,
  thresholds: LATENCY_THRESHOLDS,
  async run(ctx) {
    const t = { ...LATENCY_THRESHOLDS, ...ctx.thresholds };
    const sampled = await endpointSamples(ctx);
    if ("outcome" in sampled) return sampled.outcome;
    const together = slowTogether(sampled.endpoints);
    const measured = sampled.endpoints.map((e) => judged(e, together)).filter((e) => e.ms.length > 0);
    // Some endpoint answered (endpointSamples says so), but never while the prober was running.
    if (measured.length === 0) return { status: "skipped", reason: "the prober itself stalled through every answered sample; nothing left to judge" };
    const slow = await confirmSlowOnes(ctx.site.fetcher, measured, { thresholdMs: t.mediumMs, timeoutMs: t.timeoutMs, samples: t.confirmSamples });
    const issues: IssueDraft[] = [];
    for (const { url, ms, statistic, left, confirmation } of slow) {
      if (!confirmation.confirmed) continue;
      const label = describeStatistic(statistic);
      issues.push({
        severity: statistic.ms > t.highMs ? "high" : "medium",
        title: `${new URL(url).pathname}: ${statistic.name} latency ${statistic.ms} ms`,
        description: `The endpoint's time to first byte, ${label}, was ${statistic.ms} ms (slowest ${Math.max(...ms)} ms); measured again right after, it took ${describeConfirmation(confirmation)}.`,
        subject: url,
        evidence: {
          url,
          statistic: statistic.name,
          [`${statistic.name}Ms`]: statistic.ms,
          samplesMs: ms,
          thresholdMs: t.mediumMs,
          leftOut: left,
          confirmation: confirmationEvidence(confirmation),
        },
        recommendation: "Profile the endpoint: slow database queries (see the database bot), upstream calls without timeouts, or a cold serverless region far from the database.",
      });
    }
    return outcome(issues, {
      endpoints: measured.map(({ url, statistic, left }) => ({ url, statistic: statistic.name, ms: statistic.ms, of: statistic.of, leftOut: left })),
      unconfirmed: slow.filter((e) => !e.confirmation.confirmed).map((e) => ({ url: e.url, statisticMs: e.statistic.ms, confirmationMs: e.confirmation.samples.map((s) => s.ms) })),
    });
  },
};

/** The samples an endpoint is judged on (answered, not touched by a stall of the prober, not slow
 * together with every other endpoint), their statistic, and what was left out and why. */
function judged(e: EndpointSamples, together: Set<Sample>) {
  const ms = keptSamples(e, together).map((s) => s.ms);
  const left = {
    discarded: e.discarded,
    stalledMs: e.samples.filter((s) => s.stallMs !== undefined).map((s) => s.ms),
    slowTogetherMs: e.samples.filter((s) => together.has(s)).map((s) => s.ms),
  };
  return { url: e.url, ms, statistic: latencyStatistic(ms), left };
}
