// Timed samples of an endpoint, for the latency, error, timeout and rate-limit checks.
import { describeHttpError, isTimeout } from "../probes/http";
import type { Fetcher } from "./fetcher";

export interface Sample {
  ms: number;
  status?: number;
  error?: string;
  timedOut?: boolean;
  retryAfter?: string;
}

export interface EndpointSamples {
  url: string;
  authenticated: boolean;
  samples: Sample[];
}

export interface SamplingPlan {
  samples: number;
  timeoutMs: number;
  /** Sampling of one endpoint stops after this long (once it has 3 samples), or at a timeout. */
  budgetMs: number;
}

export const DEFAULT_SAMPLING: SamplingPlan = { samples: 10, timeoutMs: 5_000, budgetMs: 4_000 };

export async function sampleEndpoint(fetcher: Fetcher, url: string, plan: SamplingPlan, authenticated: boolean): Promise<EndpointSamples> {
  const samples: Sample[] = [];
  const started = performance.now();
  while (samples.length < plan.samples && !fetcher.signal.aborted) {
    const t0 = performance.now();
    try {
      const res = await fetcher.get(url, { readBody: false, retry: false, followRedirects: false, timeoutMs: plan.timeoutMs });
      samples.push({ ms: Math.round(res.ttfbMs), status: res.status, ...(res.headers["retry-after"] ? { retryAfter: res.headers["retry-after"] } : {}) });
    } catch (err) {
      const timedOut = isTimeout(err) && !fetcher.signal.aborted;
      samples.push({ ms: Math.round(performance.now() - t0), error: describeHttpError(err), ...(timedOut ? { timedOut } : {}) });
      if (timedOut) break;
    }
    if (samples.length >= 3 && performance.now() - started > plan.budgetMs) break;
  }
  return { url, authenticated, samples };
}

export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
}
