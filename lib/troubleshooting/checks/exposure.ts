// What the exposure checks share (net.data_exposure, net.config_exposure, net.unprotected_admin_api,
// web.admin_page_exposed): asking many URLs anonymously (SiteProbe.anonymous: one GET per URL and
// redirect mode per run), and the rules that keep what the target revealed out of the findings. A finding names fields and variables; it never
// carries their values, because the report, the events and the database that store it are read
// by more people than the secrets were meant for.
import type { CheckOutcome } from "../catalogue";
import type { HttpResult } from "../probes/http";
import type { SiteProbe } from "../site/site-probe";
import { clip, isHtmlType, isJsonType, looksLikeHtmlDocument } from "./web/content";
import { pathOf } from "./web/shared";

/** At most this many URLs are asked per check: the well-known lists plus what the site names. */
const MAX_EXPOSURE_URLS = 40;

export interface AskOptions {
  /** Follow redirects as a browser would (the admin pages); the APIs are judged by their first answer. */
  followRedirects?: boolean;
}

/** The answers to `urls` (and which did not answer), or why there is nothing to judge: a URL
 * refused by the address policy is an error; no answer at all is a skip (the reachability checks
 * report an unreachable target). */
export async function askAllAnonymously(
  site: SiteProbe,
  urls: string[],
  options: AskOptions = {},
): Promise<{ answers: { url: string; res: HttpResult }[]; unanswered: { url: string; error: string }[] } | { outcome: CheckOutcome }> {
  const all = await Promise.all(urls.map((url) => site.anonymous(url, options)));
  const unanswered = all.filter((a): a is { url: string; error: string } => a.error !== undefined);
  const blocked = unanswered.find((a) => a.error.startsWith("refused to probe"));
  if (blocked) return { outcome: { status: "error", reason: blocked.error } };
  const answers = all.filter((a): a is { url: string; res: HttpResult } => a.res !== undefined);
  if (answers.length === 0) {
    return { outcome: { status: "skipped", reason: `nothing answered (${unanswered[0]?.error ?? "nothing asked"}); see net.endpoint_down, net.timeouts and web.unreachable` } };
  }
  return { answers, unanswered };
}

/** Absolute URLs for `paths` (relative ones on the base URL's origin), unique, in order, at most `limit`. */
export function urlsOf(baseUrl: string, paths: string[], limit = MAX_EXPOSURE_URLS): string[] {
  const origin = new URL(baseUrl).origin;
  return [...new Set(paths.map((p) => new URL(p, origin).toString()))].slice(0, limit);
}

/** An HTML page by its content type or by how its body starts (content.ts's rules). */
export const isHtml = (res: HttpResult) => isHtmlType(res.headers["content-type"]) || looksLikeHtmlDocument(res.body);

/** The content type as the server worded it, for evidence: printable and short (clip). */
export const contentTypeOf = (res: HttpResult) => (res.headers["content-type"] ? clip(res.headers["content-type"], 200) : null);

/** A URL's path and query for a finding's title: printable and short (the target names its paths). */
export const shownPath = (url: string) => clip(pathOf(url), 120);

/** The body as JSON, or undefined when it is not JSON. */
export function jsonOf(res: HttpResult): unknown {
  const text = res.body.trim();
  if (!isJsonType(res.headers["content-type"]) && !/^[[{]/.test(text)) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

export const isPlainObject = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);

/** An e-mail address in text. The local part is bounded (64, as RFC 5321) and starts a run: an
 * unbounded one made every long word of a page cost its whole length again at each character
 * (a 160 000-character run without "@" held the event loop 23 s). */
export const EMAIL = /(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/g;
const ONE_EMAIL = new RegExp(`^${EMAIL.source}$`);
/** The whole value is an e-mail address (asked of every string field of up to 50 records). */
export const isEmail = (value: string) => ONE_EMAIL.test(value.trim());

/** `alice@example.com` → `a***@example.com`: enough to see it is an address, not whose. */
export function maskEmail(email: string): string {
  const at = email.indexOf("@");
  return `${email.slice(0, 1)}***${email.slice(at)}`;
}

/** A run of 12+ letters and digits with 2+ digits: a token, key or id (`sk_live_51Hx…`, a JWT,
 * a UUID's last group), not a word someone named a field with. */
const TOKEN_RUN = /[A-Za-z0-9]{12,}/g;
const looksLikeToken = (name: string) => (name.match(TOKEN_RUN) ?? []).some((run) => (run.match(/\d/g) ?? []).length >= 2);

/** A field or variable name the target sent, when it is fit to show: an identifier, not an
 * e-mail address or a value someone used as a key (a map keyed by API keys or session ids). */
export function safeName(name: string): string | null {
  return /^[A-Za-z_$][\w$.-]{0,63}$/.test(name) && !name.includes("@") && !looksLikeToken(name) ? name : null;
}

