// Secrets never reach the model: everything the investigation puts in a prompt (issue evidence,
// tool results, refusal reasons) or records (arguments, results) goes through a redactor built
// per run from the secrets in reach of its tools, on top of the generic patterns of scrub().
import { scrubString } from "../../monitoring/redact";
import type { Credentials } from "../site/credentials";
import type { Integrations } from "../workflow/integrations";

export const REDACTED = "***";
/** The longest tool result text the model sees or the record keeps (characters of JSON). */
export const MAX_RESULT_CHARS = 4_000;
export const TRUNCATED = "…[truncated]";

// A literal shorter than this is not replaced where it appears (a 2-letter password would turn
// every word containing it into stars); scrub()'s connection-string pattern still hides it in URLs.
const MIN_SECRET_CHARS = 4;
const MIN_COOKIE_VALUE_CHARS = 8;
// Deeper than this a value is not walked (tool results are shallow; a cycle cannot occur in JSON).
const MAX_DEPTH = 40;

export interface SecretSources {
  /** The target database URL as tools use it (with its password). */
  databaseUrl?: string;
  credentials?: Credentials | null;
  integrations?: Integrations;
}

/** The literal secrets of a run: the database password (and its user-info), the session cookie
 * (whole and each value), the bearer token, the revalidation secret, the deploy hook URL (whole
 * and its path, which is the secret) and the Vercel token. */
export function secretsInReach({ databaseUrl, credentials, integrations }: SecretSources): string[] {
  const secrets: string[] = [];
  if (databaseUrl) {
    try {
      const url = new URL(databaseUrl);
      if (url.password) {
        secrets.push(url.password, decodeURIComponent(url.password), `${url.username}:${url.password}`, `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`);
      }
    } catch {
      secrets.push(databaseUrl); // not a URL: hide it whole
    }
  }
  if (credentials?.cookie) {
    secrets.push(credentials.cookie);
    // Each value on its own too (a page may echo the session value), but not a short one
    // ("theme=dark"): a session value is long, and "dark" would be starred out everywhere.
    for (const pair of credentials.cookie.split(";")) {
      const value = pair.slice(pair.indexOf("=") + 1).trim();
      if (pair.includes("=") && value.length >= MIN_COOKIE_VALUE_CHARS) secrets.push(value);
    }
  }
  if (credentials?.bearer) secrets.push(credentials.bearer);
  if (integrations?.revalidate?.secret) secrets.push(integrations.revalidate.secret);
  if (integrations?.deployHook?.url) {
    secrets.push(integrations.deployHook.url);
    try {
      const hook = new URL(integrations.deployHook.url);
      secrets.push(`${hook.pathname}${hook.search}`);
    } catch {
      // kept whole above
    }
  }
  if (integrations?.vercel?.token) secrets.push(integrations.vercel.token);
  return secrets;
}

export interface Redactor {
  /** The text with every secret replaced by "***" and scrub()'s patterns applied. */
  text(value: string): string;
  /** A deep copy of a value as JSON would carry it, every string (keys included) redacted.
   * Throws (TypeError) on what JSON cannot carry (a BigInt, a cycle). */
  value(value: unknown): unknown;
}

export function createRedactor(secrets: readonly string[]): Redactor {
  // Each secret as it may appear: raw, URL-encoded, and escaped inside a JSON string. Longest
  // first, so a secret that contains another is replaced whole.
  const forms = [...new Set(secrets.filter((s) => s.length >= MIN_SECRET_CHARS).flatMap((s) => [s, encodeURIComponent(s), JSON.stringify(s).slice(1, -1)]))]
    .filter((s) => s.length >= MIN_SECRET_CHARS)
    .sort((a, b) => b.length - a.length);
  const text = (value: string): string => scrubString(forms.reduce((out, secret) => out.replaceAll(secret, REDACTED), value));
  const walk = (value: unknown, depth: number): unknown => {
    if (typeof value === "string") return text(value);
    if (value === null || typeof value !== "object") return value;
    if (depth > MAX_DEPTH) return text(JSON.stringify(value));
    if (Array.isArray(value)) return value.map((v) => walk(v, depth + 1));
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [text(k), walk(v, depth + 1)]));
  };
  return {
    text,
    // Through JSON first: a Date is its ISO text and undefined is null, as the model would get them.
    value: (value) => {
      const json = JSON.stringify(value);
      return json === undefined ? null : walk(JSON.parse(json), 0);
    },
  };
}

/** A value as JSON text (secrets redacted), cut to `max` characters. `truncated`: the text is not
 * JSON any more (the model is given it as a string). */
export function redactedJson(value: unknown, redactor: Redactor, max = MAX_RESULT_CHARS): { text: string; truncated: boolean } {
  const json = JSON.stringify(redactor.value(value));
  return json.length <= max ? { text: json, truncated: false } : { text: `${json.slice(0, max)}${TRUNCATED}`, truncated: true };
}
