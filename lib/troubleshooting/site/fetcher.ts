// How the site probe requests a URL: with the target's credentials where they belong, and
// without judging the certificate unless credentials ride on the request (TLS problems are
// net.tls_invalid's to report; the web checks judge the pages behind them).
import { type HttpOptions, type HttpResult, httpGet, isTimeout } from "../probes/http";
import { withTimeout } from "../probes/resilience";
import { type Credentials, credentialHeaders } from "./credentials";

export interface Fetcher {
  /** `timeoutMs` bounds this request alone (default: the bot's deadline only); a URL that already
   * hung for another request of this fetcher is waited on at most HUNG_LOOK_MS. */
  get(url: string, options?: HttpOptions & { anonymous?: boolean; timeoutMs?: number }): Promise<HttpResult>;
  signal: AbortSignal;
  /** The configured credentials' headers for `url` (none for other origins). */
  credentialsFor(url: string): Record<string, string>;
  /** Whether requests to `url` carry the configured credentials. */
  authenticates(url: string): boolean;
}

/** How long a request to a URL that already hung in this fetcher's life waits: one short look
 * (an endpoint that answers at all sends its headers well within it). */
export const HUNG_LOOK_MS = 1_000;

/**
 * A fetcher lives for one run's probe (shared by its web and network bots). What one bounded
 * request saw is shared with the others of the run: when one times out, the requests to the same
 * URL (with the same credentials, or none) still waiting end as timed out too, and later ones wait
 * at most HUNG_LOOK_MS; both only when they would not wait longer than the one that timed out (a
 * 1.5 s confirmation of a slow endpoint that runs out says nothing to a request ready to wait 5 s).
 * Every check that asked a hanging endpoint (sampling, Auth.js, exposure) used to wait its own full
 * timeout for it.
 */
export function createFetcher(signal: AbortSignal, credentials: Credentials | null, ca: string | null = null): Fetcher {
  /** Per key (credentials or none, URL): the longest wait (ms) it did not answer within. */
  const hung = new Map<string, number>();
  /** The requests waiting per key, each with its own controller to end it early, and its limit. */
  const waiting = new Map<string, Map<AbortController, number>>();
  return {
    signal,
    credentialsFor: (url) => credentialHeaders(credentials, url),
    authenticates: (url) => Object.keys(credentialHeaders(credentials, url)).length > 0,
    async get(url, { anonymous = false, timeoutMs, ...options } = {}) {
      const secret = anonymous ? {} : credentialHeaders(credentials, url);
      const carriesSecret = Object.keys(secret).length > 0;
      const request = (bounded: AbortSignal) => httpGet(url, bounded, { ...options, ca, insecureTls: !carriesSecret, headers: { ...options.headers, ...secret } });
      if (!timeoutMs) return request(signal); // bounded by the bot's deadline only: nothing to share
      const key = `${carriesSecret ? "credentials" : "anonymous"} ${url}`;
      const limit = (hung.get(key) ?? 0) >= timeoutMs ? Math.min(timeoutMs, HUNG_LOOK_MS) : timeoutMs;
      // The run's signal, forwarded by hand (AbortSignal.any loses sources under GC on Node 20,
      // see fetcher.test.ts), or a peer's verdict.
      const own = new AbortController();
      const forward = () => own.abort(signal.reason);
      if (signal.aborted) forward();
      else signal.addEventListener("abort", forward, { once: true });
      const peers = waiting.get(key) ?? new Map<AbortController, number>();
      waiting.set(key, peers);
      peers.set(own, timeoutMs);
      try {
        return await withTimeout(own.signal, limit, request);
      } catch (err) {
        // This request's own time ran out (not the run's, not ended by a peer): the URL hangs.
        if (isTimeout(err) && !own.signal.aborted) {
          const waited = Math.max(hung.get(key) ?? 0, limit);
          hung.set(key, waited);
          for (const [peer, wants] of peers) if (peer !== own && wants <= waited) peer.abort(new DOMException(`no answer within ${waited} ms to another request of this run`, "TimeoutError"));
        }
        throw err;
      } finally {
        signal.removeEventListener("abort", forward);
        peers.delete(own);
        if (peers.size === 0) waiting.delete(key);
      }
    },
  };
}
