// Calls to the platform's own APIs (revalidation endpoint, deploy hook, Vercel). Answers are
// summarised, never echoed: they could carry tokens.
import { httpGet } from "../../probes/http";

export interface PlatformAnswer {
  status: number;
  json: unknown;
}

export async function platformRequest(
  method: "GET" | "POST",
  url: string,
  signal: AbortSignal,
  headers: Record<string, string> = {},
  body?: unknown,
): Promise<PlatformAnswer> {
  const res = await httpGet(url, signal, {
    method,
    retry: false,
    followRedirects: false,
    headers: { accept: "application/json", ...(body === undefined ? {} : { "content-type": "application/json" }), ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  let json: unknown = null;
  try {
    json = res.body ? JSON.parse(res.body) : null;
  } catch {
    json = null;
  }
  return { status: res.status, json };
}
