// HTTP probe on node:http(s): time to first byte, redirects followed by hand so that every hop
// passes the address policy (and loops are seen), the body counted in full but kept only up to a
// limit, and TLS verification that the caller chooses (the network bot judges certificates).
import { StringDecoder } from "node:string_decoder";
import http from "node:http";
import https from "node:https";
import { BlockedAddressError, assertProbeAllowed } from "./address-policy";
import { transientRetry } from "./resilience";

const MAX_REDIRECTS = 10;
const KEEP_BODY_BYTES = 512 * 1024;
/** A body is never read past this: a page weight above it is reported as "at least". */
const MAX_READ_BYTES = 32 * 1024 * 1024;
const USER_AGENT = "Troubleshooter/0.1 (diagnostic probe)";

export interface HttpResult {
  url: string;
  status: number;
  /** From sending the request to receiving the response headers (includes DNS, TCP, TLS). */
  ttfbMs: number;
  totalMs: number;
  headers: Record<string, string>;
  /** The body as text, up to 512 KiB (empty when not read). */
  body: string;
  /** The body's full size in bytes, when read. */
  bytes: number;
  /** The URLs redirected from, in order (on a loop, ending with the URL it came back to). */
  redirects: string[];
  /** The redirects came back to a URL already visited, or never ended. */
  redirectLoop: boolean;
}

export interface HttpOptions {
  method?: "GET" | "HEAD" | "POST";
  headers?: Record<string, string>;
  body?: string;
  readBody?: boolean;
  followRedirects?: boolean;
  /** Accept certificates that do not verify (the page is judged, not its certificate). */
  insecureTls?: boolean;
  /** Extra trusted CA certificates (PEM), e.g. a private CA. */
  ca?: string | null;
  /** Retry transient network errors once (default); samplers want raw outcomes. */
  retry?: boolean;
  /** Stop reading the body once what was read matches (the rest of a slow page is not needed).
   * Reading also stops once the first 512 KiB (all that is kept, so all it is tried on) are in. */
  readUntil?: RegExp;
  /** Stop reading the body once no byte arrived for this long (ms): a streamed page's late part
   * (a slow Suspense boundary) is not waited for. The result holds what came; `bytes` counts it. */
  readIdleMs?: number;
}

export async function httpGet(rawUrl: string, signal: AbortSignal, options: HttpOptions = {}): Promise<HttpResult> {
  if (options.retry === false) return fetchFollowing(rawUrl, signal, options);
  return transientRetry.execute(() => fetchFollowing(rawUrl, signal, options));
}

/** Headers that carry credentials: never forwarded when a redirect leaves the first origin. */
const CREDENTIAL_HEADERS = new Set(["cookie", "authorization"]);

async function fetchFollowing(rawUrl: string, signal: AbortSignal, options: HttpOptions): Promise<HttpResult> {
  const redirects: string[] = [];
  let url = new URL(rawUrl);
  const origin = url.origin;
  for (;;) {
    await assertProbeAllowed(url);
    const headers = url.origin === origin ? options.headers : Object.fromEntries(Object.entries(options.headers ?? {}).filter(([name]) => !CREDENTIAL_HEADERS.has(name.toLowerCase())));
    const res = await requestOnce(url, signal, { ...options, headers });
    const location = res.headers.location;
    if (options.followRedirects === false || res.status < 300 || res.status >= 400 || !location) return { ...res, redirects, redirectLoop: false };
    redirects.push(url.toString());
    const next = new URL(location, url);
    if (redirects.includes(next.toString()) || redirects.length >= MAX_REDIRECTS) return { ...res, redirects: [...redirects, next.toString()], redirectLoop: true };
    url = next;
  }
}

type Single = Omit<HttpResult, "redirects" | "redirectLoop">;

function requestOnce(url: URL, signal: AbortSignal, options: HttpOptions): Promise<Single> {
  const started = performance.now();
  const client = url.protocol === "https:" ? https : http;
  const tls = url.protocol === "https:" ? { rejectUnauthorized: !options.insecureTls, ...(options.ca ? { ca: options.ca } : {}) } : {};
  return new Promise((resolve, reject) => {
    const req = client.request(
      url,
      {
        method: options.method ?? "GET",
        signal,
        agent: false,
        headers: { "user-agent": USER_AGENT, accept: "text/html,application/json;q=0.9,*/*;q=0.5", ...options.headers },
        ...tls,
      },
      (res) => {
        const ttfbMs = performance.now() - started;
        const headers = Object.fromEntries(Object.entries(res.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(", ") : String(v ?? "")]));
        const status = res.statusCode ?? 0;
        const done = (body: string, bytes: number) => resolve({ url: url.toString(), status, ttfbMs, totalMs: performance.now() - started, headers, body, bytes });
        if (options.readBody === false || (status >= 300 && status < 400)) {
          res.destroy();
          return done("", 0);
        }
        const kept: Buffer[] = [];
        let bytes = 0;
        // readUntil is tried on what arrived so far, decoded once per chunk (not re-joined each time).
        const decoder = options.readUntil ? new StringDecoder("utf8") : null;
        let text = "";
        let idle: NodeJS.Timeout | undefined;
        const finish = () => {
          clearTimeout(idle);
          done(Buffer.concat(kept).toString("utf8").slice(0, KEEP_BODY_BYTES), bytes);
        };
        const stop = () => {
          res.destroy();
          finish();
        };
        const waitIdle = () => {
          if (options.readIdleMs === undefined) return;
          clearTimeout(idle);
          idle = setTimeout(stop, options.readIdleMs);
        };
        waitIdle();
        res.on("data", (chunk: Buffer) => {
          if (bytes < KEEP_BODY_BYTES) kept.push(chunk);
          bytes += chunk.byteLength;
          if (decoder && bytes <= KEEP_BODY_BYTES) text += decoder.write(chunk);
          // Past what is kept, readUntil can no longer match: the rest is not read.
          const matchedOrHopeless = options.readUntil && (bytes > KEEP_BODY_BYTES || options.readUntil.test(text));
          if (bytes >= MAX_READ_BYTES || matchedOrHopeless) return stop();
          waitIdle();
        });
        res.on("end", finish);
        res.on("error", (err) => {
          clearTimeout(idle);
          reject(err);
        });
        res.on("close", () => clearTimeout(idle));
      },
    );
    req.on("error", reject);
    req.end(options.body);
  });
}

/** A short, secret-free description of why a request failed. */
export function describeHttpError(err: unknown): string {
  const cause = (err as { cause?: { code?: string; message?: string } })?.cause;
  const code = cause?.code ?? (err as { code?: string })?.code;
  if (err instanceof BlockedAddressError) return err.message;
  if (err instanceof Error && (err.name === "AbortError" || err.name === "TimeoutError" || err.name === "TaskCancelledError")) return "timed out";
  if (code === "ECONNREFUSED") return "connection refused";
  if (code === "ENOTFOUND" || code === "EAI_AGAIN") return "host name does not resolve";
  if (code === "ECONNRESET" || code === "UND_ERR_SOCKET") return "connection reset";
  // OpenSSL's verification codes: CERT_HAS_EXPIRED, UNABLE_TO_VERIFY_LEAF_SIGNATURE, …
  if (code?.startsWith("ERR_TLS") || code?.includes("CERT") || code?.startsWith("UNABLE_TO_")) return `TLS error (${code})`;
  return code ? `request failed (${code})` : "request failed";
}

/** True when the request never got an answer because it ran out of time. */
export function isTimeout(err: unknown): boolean {
  return describeHttpError(err) === "timed out";
}
