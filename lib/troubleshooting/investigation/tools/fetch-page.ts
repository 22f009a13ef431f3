// One GET of a page or endpoint on the target's own origin, as the bots fetch it: status, timing,
// headers (credentials and cookies removed), redirects (followed only within the origin), size
// and a text excerpt. Another origin, another scheme, or what the address policy blocks is refused.
import { z } from "zod";
import { scrubString } from "../../../monitoring/redact";
import { BlockedAddressError } from "../../probes/address-policy";
import { type HttpResult, describeHttpError, httpGet } from "../../probes/http";
import { credentialHeaders } from "../../site/credentials";
import { pageText } from "./page-text";
import { type InvestigationTool, ToolRefusedError } from "./tool";

/** Characters of visible text (or of a JSON/text body) returned. */
export const EXCERPT_MAX = 1_500;
const MAX_REDIRECTS = 5;
const HEADERS_MAX = 40;
const HEADER_VALUE_MAX = 300;
/** Header values never shown: cookies and credentials, whatever the server echoes. */
const SECRET_HEADER = /^(set-cookie|cookie|authorization|proxy-authorization|x-api-key|x-auth-token)$|token|secret|session|password|api[-_]?key/i;

const args = z
  .object({ url: z.string().min(1).max(2_000).describe('a path on the target like "/pricing" or "/api/health", or an absolute URL on the target\'s own origin') })
  .strict();

/** The absolute URL `raw` names on the target's origin; refuses anything else. */
export function targetUrl(raw: string, baseUrl: string): URL {
  const base = new URL(baseUrl);
  const text = raw.trim();
  let url: URL;
  try {
    url = text.startsWith("/") || text.startsWith("?") ? new URL(text, base) : new URL(text);
  } catch {
    throw new ToolRefusedError(`"${text.slice(0, 100)}" is neither a path ("/...") nor an absolute URL`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") throw new ToolRefusedError(`only http(s) URLs of the target are fetched, not ${url.protocol}`);
  if (url.username || url.password) throw new ToolRefusedError("URLs with credentials in them are not fetched");
  if (url.origin !== base.origin) throw new ToolRefusedError(`only the target's own origin (${base.origin}) is fetched, not ${url.origin}`);
  url.hash = "";
  return url;
}

function shownHeaders(headers: Record<string, string>): Record<string, string> {
  const entries = Object.entries(headers).slice(0, HEADERS_MAX);
  return Object.fromEntries(
    entries.map(([name, value]) => [name, SECRET_HEADER.test(name) ? "[removed]" : scrubString(value.length > HEADER_VALUE_MAX ? `${value.slice(0, HEADER_VALUE_MAX)}…` : value)]),
  );
}

function excerpt(res: HttpResult): { title: string | null; excerpt: string | null } {
  const type = (res.headers["content-type"] ?? "").toLowerCase();
  if (type.includes("html")) {
    const { title, text } = pageText(res.body, EXCERPT_MAX);
    return { title: title ? scrubString(title) : null, excerpt: scrubString(text) };
  }
  if (type.includes("json") || type.startsWith("text/") || type.includes("xml")) {
    const text = res.body.replace(/\s+/g, " ").trim();
    return { title: null, excerpt: scrubString(text.length > EXCERPT_MAX ? `${text.slice(0, EXCERPT_MAX)}…` : text) };
  }
  return { title: null, excerpt: null };
}

interface Redirect {
  from: string;
  to: string;
  status: number;
  /** False when it leaves the target's origin (or loops): the tool stops there. */
  followed: boolean;
}

export const fetchPage: InvestigationTool<z.output<typeof args>> = {
  name: "fetch_page",
  description:
    "Fetches one page or endpoint of the target again (GET, its own origin only, with this run's credentials): status, ttfbMs and totalMs, response headers (cookies and credentials removed), redirects, bodyBytes, and an excerpt (title and the first ~1,500 characters of visible text, or of a JSON/text body). Use it to see what a failing or slow URL answers now.",
  args,
  async run({ url: raw }, ctx) {
    const origin = new URL(ctx.target.baseUrl).origin;
    let url = targetUrl(raw, ctx.target.baseUrl);
    const redirects: Redirect[] = [];
    const visited = new Set<string>();
    const started = performance.now();
    for (;;) {
      visited.add(url.toString());
      let res: HttpResult;
      try {
        res = await httpGet(url.toString(), ctx.signal, {
          retry: false,
          followRedirects: false,
          ca: ctx.target.caCertificates ?? null,
          headers: credentialHeaders(ctx.credentials, url.toString()),
        });
      } catch (err) {
        if (err instanceof BlockedAddressError) throw new ToolRefusedError(err.message);
        throw new Error(`GET ${scrubString(url.pathname)} failed: ${describeHttpError(err)}`);
      }
      const location = res.status >= 300 && res.status < 400 ? res.headers.location : undefined;
      let next: URL | null = null;
      if (location) {
        try {
          next = new URL(location, url);
        } catch {
          next = null;
        }
      }
      const stays = next !== null && next.origin === origin && !visited.has(next.toString()) && redirects.length < MAX_REDIRECTS;
      if (next) redirects.push({ from: scrubString(url.toString()), to: scrubString(next.toString()), status: res.status, followed: stays });
      if (next && stays) {
        url = next;
        continue;
      }
      return {
        url: scrubString(url.toString()),
        status: res.status,
        ttfbMs: Math.round(res.ttfbMs),
        totalMs: Math.round(performance.now() - started),
        redirects,
        headers: shownHeaders(res.headers),
        contentType: res.headers["content-type"] ?? null,
        bodyBytes: res.bytes,
        ...excerpt(res),
      };
    }
  },
};
