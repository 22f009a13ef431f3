// Resilience policies (cockatiel): timeouts, retries with exponential backoff for transient
// failures, and one circuit breaker per target dependency, shared by all runs in the process.
import {
  ConsecutiveBreaker,
  ExponentialBackoff,
  type CircuitBreakerPolicy,
  TimeoutStrategy,
  circuitBreaker,
  handleAll,
  handleWhen,
  retry,
  timeout,
} from "cockatiel";

const TRANSIENT_CODES = new Set(["ECONNRESET", "EPIPE", "ETIMEDOUT", "EAI_AGAIN", "UND_ERR_SOCKET", "57P01", "08006", "08001"]);

export function isTransient(err: unknown): boolean {
  const code = (err as { code?: unknown; cause?: { code?: unknown } })?.code ?? (err as { cause?: { code?: unknown } })?.cause?.code;
  return typeof code === "string" && TRANSIENT_CODES.has(code);
}

/** Two attempts, 200 ms then up to 2 s apart, only for errors that can pass on their own. */
export const transientRetry = retry(handleWhen(isTransient), {
  maxAttempts: 2,
  backoff: new ExponentialBackoff({ initialDelay: 200, maxDelay: 2_000 }),
});

const breakers = new Map<string, CircuitBreakerPolicy>();

/** The breaker of one dependency (e.g. "http:example.com:443"): opens after `threshold` consecutive failures. */
export function breakerFor(key: string, threshold: number): CircuitBreakerPolicy {
  let breaker = breakers.get(key);
  if (!breaker) {
    breaker = circuitBreaker(handleAll, { halfOpenAfter: 30_000, breaker: new ConsecutiveBreaker(threshold) });
    breakers.set(key, breaker);
  }
  return breaker;
}

/** Runs `work` with an abort signal that fires after `ms` (or when `parent` aborts). */
export function withDeadline<T>(ms: number, work: (signal: AbortSignal) => Promise<T>, parent?: AbortSignal): Promise<T> {
  return timeout(ms, TimeoutStrategy.Aggressive).execute((_ctx, signal) => work(signal), parent);
}

/** Runs `work` with a signal that aborts after `ms` or when `parent` does. Not
 * AbortSignal.any([parent, AbortSignal.timeout(ms)]): on Node 20, any() holds the timeout signal
 * only weakly, and once a garbage collection has run it never fires (nodejs/node#57736), so a
 * request to an endpoint that never answers waited for the bot's or the fix's whole deadline
 * (found by the bench: a 5 s re-probe ran into the 60 s fix timeout). A plain timer owns its
 * controller until it fires or the work ends. */
export async function withTimeout<T>(parent: AbortSignal, ms: number, work: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  const abort = () => controller.abort(parent.reason);
  if (parent.aborted) abort();
  else parent.addEventListener("abort", abort, { once: true });
  const timer = setTimeout(() => controller.abort(new DOMException(`timed out after ${ms} ms`, "TimeoutError")), ms);
  try {
    return await work(controller.signal);
  } finally {
    clearTimeout(timer);
    parent.removeEventListener("abort", abort);
  }
}

export class OwnTimeExceeded extends Error {
  override name = "TimeoutError";
  constructor(limitMs: number) {
    super(`timed out after ${limitMs} ms`);
  }
}

/** Waits for a shared piece of work without its time counting against the waiter's limit. */
export type Paused = <T>(shared: Promise<T>) => Promise<T>;

/** Runs `work` under a time limit that stops while the work waits on `paused(...)`, and rejects
 * with OwnTimeExceeded once its own time is up (or with the parent's reason when `parent` aborts).
 * A check's limit then covers its own probing, not the crawl or browser visit it shares with the
 * bot's other checks: under load, one slow visit timed out every browser check at once, and
 * those timeouts opened the target's circuit breaker. */
export async function withOwnTimeLimit<T>(ms: number, parent: AbortSignal, work: (signal: AbortSignal, paused: Paused) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  let remaining = ms;
  let since = performance.now();
  let timer: ReturnType<typeof setTimeout> | undefined;
  let waits = 0;
  let over = false;
  const start = () => {
    if (over) return; // a wait the work did not await ended after it
    since = performance.now();
    timer = setTimeout(() => controller.abort(new OwnTimeExceeded(ms)), remaining);
  };
  const paused: Paused = async (shared) => {
    if (waits++ === 0) {
      clearTimeout(timer);
      remaining -= performance.now() - since;
    }
    try {
      return await shared;
    } finally {
      if (--waits === 0 && !controller.signal.aborted) start();
    }
  };
  const abort = () => controller.abort(parent.reason);
  if (parent.aborted) abort();
  else parent.addEventListener("abort", abort, { once: true });
  const aborted = new Promise<never>((_, reject) => {
    const fail = () => reject(controller.signal.reason);
    if (controller.signal.aborted) fail();
    else controller.signal.addEventListener("abort", fail, { once: true });
  });
  start();
  try {
    return await Promise.race([work(controller.signal, paused), aborted]);
  } finally {
    over = true;
    clearTimeout(timer);
    parent.removeEventListener("abort", abort);
  }
}
