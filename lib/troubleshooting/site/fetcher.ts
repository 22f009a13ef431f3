// How the site probe requests a URL: with the target's credentials where they belong, and
// without judging the certificate unless credentials ride on the request (TLS problems are
// net.tls_invalid's to report; the web checks judge the pages behind them).
import { type HttpOptions, type HttpResult, httpGet } from "../probes/http";
import { withTimeout } from "../probes/resilience";
import { type Credentials, credentialHeaders } from "./credentials";

export interface Fetcher {
  /** `timeoutMs` bounds this request alone (default: the bot's deadline only). */
  get(url: string, options?: HttpOptions & { anonymous?: boolean; timeoutMs?: number }): Promise<HttpResult>;
  signal: AbortSignal;
  /** The configured credentials' headers for `url` (none for other origins). */
  credentialsFor(url: string): Record<string, string>;
  /** Whether requests to `url` carry the configured credentials. */
  authenticates(url: string): boolean;
}

export function createFetcher(signal: AbortSignal, credentials: Credentials | null, ca: string | null = null): Fetcher {
  return {
    signal,
    credentialsFor: (url) => credentialHeaders(credentials, url),
    authenticates: (url) => Object.keys(credentialHeaders(credentials, url)).length > 0,
    get(url, { anonymous = false, timeoutMs, ...options } = {}) {
      const secret = anonymous ? {} : credentialHeaders(credentials, url);
      const carriesSecret = Object.keys(secret).length > 0;
      const request = (bounded: AbortSignal) => httpGet(url, bounded, { ...options, ca, insecureTls: !carriesSecret, headers: { ...options.headers, ...secret } });
      return timeoutMs ? withTimeout(signal, timeoutMs, request) : request(signal);
    },
  };
}
