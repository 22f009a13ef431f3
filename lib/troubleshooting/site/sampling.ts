// Timed samples of an endpoint, for the latency, error, timeout and rate-limit checks. A sample
// times the target and the prober together: one the prober's own stall overlapped (probes/stall)
// is set aside and taken again, so that the prober's pauses never become the target's latency.
import { describeHttpError, isTimeout } from "../probes/http";
import { type StallWatch, watchStalls } from "../probes/stall";
import type { Fetcher } from "./fetcher";

export interface Sample {
  ms: number;
  /** When the request was sent, `performance.now()` ms: one clock for every endpoint sampled by
   * this process, so that samples of different endpoints taken at the same moment line up. */
  at: number;
  status?: number;
  error?: string;
  timedOut?: boolean;
  retryAfter?: string;
  /** The prober stalled this long (ms) during the sample, and no retake was left: its time is
   * partly the prober's; latency checks leave it out. */
  stallMs?: number;
}

/** Samples set aside because the prober stalled while they were taken. */
interface Discarded {
  count: number;
  /** The longest of the stalls that overlapped them, ms. */
  maxStallMs: number;
  /** Their times, ms (what they would have claimed). */
  samplesMs: number[];
}

export interface EndpointSamples {
  url: string;
  authenticated: boolean;
  samples: Sample[];
  discarded: Discarded;
}

export interface SamplingPlan {
  samples: number;
  timeoutMs: number;
  /** Sampling of one endpoint stops after this long (once it has `minSamples`), or at a timeout. */
  budgetMs: number;
  /** Samples taken whatever the budget (default 3): fewer make no median. */
  minSamples?: number;
}

export const DEFAULT_SAMPLING: SamplingPlan = { samples: 10, timeoutMs: 5_000, budgetMs: 4_000 };

/** Up to `plan.samples` samples, one after another. A sample the prober stalled during is
 * discarded and taken again, at most `plan.samples` times in all (a prober that keeps stalling
 * must not sample forever); after that, stalled samples are kept, marked with `stallMs`. */
export async function sampleEndpoint(fetcher: Fetcher, url: string, plan: SamplingPlan, authenticated: boolean): Promise<EndpointSamples> {
  const sampler = stallFreeSampler(fetcher, url, plan.timeoutMs, plan.samples);
  const samples: Sample[] = [];
  const started = performance.now();
  try {
    while (samples.length < plan.samples && !fetcher.signal.aborted) {
      const sample = await sampler.next();
      samples.push(sample);
      if (sample.timedOut) break;
      if (samples.length >= (plan.minSamples ?? 3) && performance.now() - started > plan.budgetMs) break;
    }
  } finally {
    sampler.stop();
  }
  return { url, authenticated, samples, discarded: sampler.discarded };
}

export interface Confirmation {
  /** A majority of the fresh samples took longer than the threshold. */
  confirmed: boolean;
  samples: Sample[];
  discarded: Discarded;
}

/** Measures an endpoint again, right now, to confirm that it is slower than `thresholdMs`: up to
 * `samples` fresh samples one after another (stall-filtered like any), stopping as soon as a
 * majority is decided. A sample that times out (and was not stalled) took at least `timeoutMs`:
 * it counts as slow when `timeoutMs` is over the threshold. An error counts as not slow: an
 * endpoint that fails is for the error checks to report, not this one. */
export async function confirmSlow(
  fetcher: Fetcher,
  url: string,
  { thresholdMs, timeoutMs, samples: wanted = 3 }: { thresholdMs: number; timeoutMs: number; samples?: number },
): Promise<Confirmation> {
  const sampler = stallFreeSampler(fetcher, url, timeoutMs, wanted);
  const majority = Math.floor(wanted / 2) + 1;
  const samples: Sample[] = [];
  let slow = 0;
  try {
    while (slow < majority && samples.length - slow <= wanted - majority && !fetcher.signal.aborted) {
      const sample = await sampler.next();
      samples.push(sample);
      const answeredSlowly = sample.status !== undefined && sample.ms > thresholdMs;
      const timedOutSlowly = sample.timedOut === true && timeoutMs > thresholdMs;
      if (sample.stallMs === undefined && (answeredSlowly || timedOutSlowly)) slow++;
    }
  } finally {
    sampler.stop();
  }
  return { confirmed: slow >= majority, samples, discarded: sampler.discarded };
}

/** The answered samples a latency is judged on: none the prober stalled during, none slow
 * together with the other endpoints (slowTogether). */
export const keptSamples = (e: EndpointSamples, together: Set<Sample>): Sample[] => e.samples.filter((s) => s.status !== undefined && s.stallMs === undefined && !together.has(s));

/** Each of `measured` whose statistic is over `thresholdMs`, measured again (confirmSlow). A
 * confirmation request unanswered after 1.5 times the threshold has shown what it must (slower than
 * the threshold; the severity is the samples'): waiting longer would only spend the check's time. */
export function confirmSlowOnes<T extends { url: string; statistic: LatencyStatistic }>(
  fetcher: Fetcher,
  measured: T[],
  { thresholdMs, timeoutMs, samples }: { thresholdMs: number; timeoutMs: number; samples: number },
): Promise<(T & { confirmation: Confirmation })[]> {
  const confirmTimeoutMs = Math.min(timeoutMs, Math.ceil(thresholdMs * 1.5));
  return Promise.all(
    measured.filter((m) => m.statistic.ms > thresholdMs).map(async (m) => ({ ...m, confirmation: await confirmSlow(fetcher, m.url, { thresholdMs, timeoutMs: confirmTimeoutMs, samples }) })),
  );
}

/** A confirmation as evidence: its times, and what the prober's stalls made it set aside. */
export const confirmationEvidence = (c: Confirmation) => ({ samplesMs: c.samples.map((s) => s.ms), discarded: c.discarded });

/** The confirmation's times for a reader: "1502, over 1500 (no answer yet), error". */
export function describeConfirmation(c: Confirmation): string {
  const one = (s: Sample) => (s.status !== undefined ? `${s.ms} ms` : s.timedOut ? `over ${s.ms} ms (no answer yet)` : "an error");
  return c.samples.map((s) => `${one(s)}${s.stallMs === undefined ? "" : ` (the prober stalled ${s.stallMs} ms)`}`).join(", ");
}

/** The share of a sample's time a stall of the prober must cover to put the sample in doubt. */
const MATERIAL_STALL_SHARE = 0.1;

/** Takes one sample at a time, retaking (at most `maxRetakes` times in all) those the prober
 * stalled during. */
function stallFreeSampler(fetcher: Fetcher, url: string, timeoutMs: number, maxRetakes: number) {
  const watch: StallWatch = watchStalls();
  const discarded: Discarded = { count: 0, maxStallMs: 0, samplesMs: [] };
  return {
    discarded,
    stop: () => watch.stop(),
    async next(): Promise<Sample> {
      for (;;) {
        const sample = await takeSample(fetcher, url, timeoutMs);
        const stallMs = watch.stallDuring(sample.at, performance.now());
        // A stall that is a small part of the sample (60 ms of a 1.5 s answer, or of a 5 s wait that
        // timed out) did not make it slow: kept as it is, not taken again.
        if (stallMs < MATERIAL_STALL_SHARE * sample.ms || fetcher.signal.aborted) return sample;
        if (discarded.count >= maxRetakes) return { ...sample, stallMs };
        discarded.count++;
        discarded.maxStallMs = Math.max(discarded.maxStallMs, stallMs);
        discarded.samplesMs.push(sample.ms);
      }
    },
  };
}

async function takeSample(fetcher: Fetcher, url: string, timeoutMs: number): Promise<Sample> {
  const at = performance.now();
  try {
    const res = await fetcher.get(url, { readBody: false, retry: false, followRedirects: false, timeoutMs });
    return { ms: Math.round(res.ttfbMs), at, status: res.status, ...(res.headers["retry-after"] ? { retryAfter: res.headers["retry-after"] } : {}) };
  } catch (err) {
    const timedOut = isTimeout(err) && !fetcher.signal.aborted;
    return { ms: Math.round(performance.now() - at), at, error: describeHttpError(err), ...(timedOut ? { timedOut } : {}) };
  }
}

/** Nearest-rank percentile: the smallest value with at least p % of the values at or below it. */
export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
}

/** The p95 needs 20 samples: with fewer, the nearest-rank p95 is simply the slowest sample, one
 * unlucky request. Below 20, the statistic is the median. */
export const P95_MIN_SAMPLES = 20;

export interface LatencyStatistic {
  name: "p95" | "median";
  ms: number;
  /** How many samples it is computed over. */
  of: number;
}

/** The honest summary of `values` (ms): their p95 when there are enough, else their median. */
export function latencyStatistic(values: number[]): LatencyStatistic {
  const name = values.length >= P95_MIN_SAMPLES ? "p95" : "median";
  return { name, ms: percentile(values, name === "p95" ? 95 : 50), of: values.length };
}

export const describeStatistic = (s: LatencyStatistic) => `${s.name} of ${s.of} samples`;

/** A sample counts as an outlier of its endpoint when it is at least twice the endpoint's median
 * and at least this much (ms) slower: smaller bumps cannot carry a healthy endpoint over the
 * latency thresholds (800 ms and more). */
const OUTLIER_EXTRA_MS = 100;

/** Samples slow together on many endpoints at once. The endpoints are sampled concurrently, so a
 * stall of the prober (or of a target sharing its starved CPU, which the stall monitor cannot see)
 * shows as one slow sample on every endpoint at the same moment, while each endpoint is otherwise
 * fast. Flags the samples that are outliers of their own endpoint and overlap in time with
 * outliers of at least half of the endpoints (3 at the least); an endpoint that is slow every time
 * has no outliers, so a really slow endpoint, or a whole site slow all along, is never flagged.
 * (A target that is slow everywhere for one moment is flagged too: a moment is not a finding.) */
export function slowTogether(endpoints: { samples: Sample[] }[]): Set<Sample> {
  const sampled = endpoints.map((e) => e.samples.filter((s) => s.status !== undefined)).filter((s) => s.length >= 3);
  const quorum = Math.max(3, Math.ceil(sampled.length / 2));
  const flagged = new Set<Sample>();
  if (sampled.length < quorum) return flagged;
  const outliers = sampled.map((samples) => {
    const median = percentile(samples.map((s) => s.ms), 50);
    return samples.filter((s) => s.ms >= 2 * median && s.ms - median >= OUTLIER_EXTRA_MS);
  });
  const overlap = (a: Sample, b: Sample) => a.at < b.at + b.ms && b.at < a.at + a.ms;
  outliers.forEach((mine, i) => {
    for (const sample of mine) {
      const together = outliers.filter((theirs, j) => j === i || theirs.some((other) => overlap(sample, other))).length;
      if (together >= quorum) flagged.add(sample);
    }
  });
  return flagged;
}
