// The API endpoints the network bot samples, what each is expected to answer, and the samples.
import { describeHttpError, isTimeout } from "../probes/http";
import type { Target } from "../catalogue";
import type { Fetcher } from "./fetcher";

/** This add-on's own endpoints and Auth.js's: what any platform with the add-on serves. */
export const ADDON_ENDPOINTS = [
  "/api/admin/bots/health",
  "/api/admin/bots/logs",
  "/api/admin/bots/database",
  "/api/auth/session",
  "/api/auth/providers",
  "/api/auth/csrf",
];

/** Presets (TARGET_ENDPOINTS_PRESET). The original BV Studios platform also serves its
 * content-bot and lead-bot endpoints. */
export const ENDPOINT_PRESETS = {
  addon: ADDON_ENDPOINTS,
  "bv-studios": [...ADDON_ENDPOINTS, "/api/admin/bots/content", "/api/admin/bots/lead"],
  none: [],
} as const;

export const isAdminEndpoint = (url: string) => /\/admin(\/|$)/.test(new URL(url).pathname);
export const isAuthEndpoint = (url: string) => new URL(url).pathname.startsWith("/api/auth/");

/** The endpoints to sample: the configured ones, else the base URL. */
export function endpointsOf(target: Target): string[] {
  return target.endpoints.length > 0 ? target.endpoints : [target.baseUrl];
}

/** Whether `status` is what the endpoint should answer (configured, or: admin endpoints refuse
 * anonymous requests and serve authenticated ones; the others answer 2xx or 3xx). */
export function isExpectedStatus(target: Target, url: string, status: number, authenticated: boolean): boolean {
  const configured = target.expectedStatus?.[url];
  if (configured !== undefined) return status === configured;
  if (isAdminEndpoint(url)) return authenticated ? status >= 200 && status < 300 : status === 401 || status === 403;
  return status >= 200 && status < 400;
}

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
