// HTTP probe: one GET with time-to-first-byte, redirects followed by hand so that every hop
// passes the address policy, and the body read only up to a limit.
import { BlockedAddressError, assertProbeAllowed } from "./address-policy";
import { transientRetry } from "./resilience";

const MAX_REDIRECTS = 5;
const MAX_BODY_BYTES = 256 * 1024;

export interface HttpResult {
  url: string;
  status: number;
  /** From sending the request to receiving the response headers (includes DNS, TCP, TLS). */
  ttfbMs: number;
  totalMs: number;
  headers: Record<string, string>;
  body: string;
  redirects: string[];
}

export async function httpGet(rawUrl: string, signal: AbortSignal, options: { readBody?: boolean } = {}): Promise<HttpResult> {
  return transientRetry.execute(() => fetchFollowing(rawUrl, signal, options.readBody ?? true));
}

async function fetchFollowing(rawUrl: string, signal: AbortSignal, readBody: boolean): Promise<HttpResult> {
  const redirects: string[] = [];
  let url = new URL(rawUrl);
  for (;;) {
    await assertProbeAllowed(url);
    const started = performance.now();
    const res = await fetch(url, {
      redirect: "manual",
      signal,
      headers: { "user-agent": "Troubleshooter/0.1 (diagnostic probe)", accept: "text/html,application/json;q=0.9,*/*;q=0.5" },
    });
    const ttfbMs = performance.now() - started;
    const location = res.headers.get("location");
    if (res.status >= 300 && res.status < 400 && location && redirects.length < MAX_REDIRECTS) {
      await res.body?.cancel();
      redirects.push(url.toString());
      url = new URL(location, url);
      continue;
    }
    const body = readBody ? await readLimited(res) : (await res.body?.cancel(), "");
    return {
      url: url.toString(),
      status: res.status,
      ttfbMs,
      totalMs: performance.now() - started,
      headers: Object.fromEntries(res.headers),
      body,
      redirects,
    };
  }
}

async function readLimited(res: Response): Promise<string> {
  if (!res.body) return "";
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  while (size < MAX_BODY_BYTES) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    size += value.byteLength;
  }
  await reader.cancel().catch(() => {});
  return Buffer.concat(chunks).toString("utf8").slice(0, MAX_BODY_BYTES);
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
  if (code?.startsWith("ERR_TLS") || code?.includes("CERT")) return `TLS error (${code})`;
  return code ? `request failed (${code})` : "request failed";
}
