// An API that hands records to anyone. Real platforms lose the session check of one route in a
// refactor (or rely on middleware whose matcher skips /api), and the route then serves every
// user's e-mail and role to whoever asks. The status says nothing here: a 200 can be a login page
// or an SPA fallback, a 401 can carry the data anyway. So each answer is read, and only records
// (a JSON array of objects, at the top or inside an object such as `{ users: [...] }`) count.
import type { Check, IssueDraft } from "../../catalogue";
import type { HttpResult } from "../../probes/http";
import { isAdminEndpoint, isAuthEndpoint } from "../../site/endpoints";
import { askAllAnonymously, contentTypeOf, isEmail, isHtml, isPlainObject, jsonOf, maskEmail, safeName, shownPath, urlsOf } from "../exposure";
import { listed } from "../web/content";
import { outcome } from "../outcome";
import { pathOf } from "../web/shared";

/** Data and admin API paths that platforms commonly serve, asked besides the endpoints the
 * target's pages use (which are found by the site probe). Kept short: a 404 costs a request, and
 * the target's own endpoints are the better list. */
const WELL_KNOWN_DATA_PATHS = [
  "/api/users",
  "/api/admin/users",
  "/api/admin/orders",
  "/api/admin/stats",
  "/api/admin/settings",
  "/api/customers",
  "/api/orders",
];

/** What an API answer is, read for exposure. `records`: a JSON array of objects (or an object
 * holding one); `data`: any other JSON or text with content; `error`: a JSON error object;
 * `empty`: nothing, `{}`, `[]`, `null`; `html`: a page (a login page, an app shell). */
export type ApiAnswer =
  | { kind: "html" | "empty" | "error" }
  | { kind: "data"; keys: string[] }
  | { kind: "records"; at: string; records: Record<string, unknown>[] };

const ERROR_KEYS = new Set(["error", "errors", "message", "detail", "title", "type", "code", "status", "statuscode", "instance"]);
/** The wording of a refusal, in a short text body or an error-shaped JSON object. */
const REFUSAL = /unauthori[sz]ed|unauthenticated|not authenticated|authentication required|forbidden|access denied|not allowed|sign[ -]?in|log[ -]?in|login required/i;

export function readApiAnswer(res: HttpResult): ApiAnswer {
  if (res.body.trim() === "") return { kind: "empty" };
  if (isHtml(res)) return { kind: "html" };
  const json = jsonOf(res);
  if (json === undefined) return res.body.length < 300 && REFUSAL.test(res.body) ? { kind: "error" } : { kind: "data", keys: [] }; // text, CSV, …
  if (json === null || json === "" || (Array.isArray(json) && json.length === 0) || (isPlainObject(json) && Object.keys(json).length === 0)) return { kind: "empty" };
  const found = findRecords(json, "", 0);
  if (found) return { kind: "records", ...found };
  if (isPlainObject(json)) {
    const keys = Object.keys(json);
    const lower = keys.map((k) => k.toLowerCase());
    // `{ error: … }`, `{ ok: false }`, a problem+json body: a refusal, whatever the status.
    if ("error" in json || "errors" in json || json.ok === false || json.success === false) return { kind: "error" };
    if (lower.every((k) => ERROR_KEYS.has(k)) && ("message" in json || REFUSAL.test(JSON.stringify(json)))) return { kind: "error" };
    return { kind: "data", keys: keys.map(safeName).filter((k): k is string => k !== null).slice(0, 20) };
  }
  return { kind: "data", keys: [] };
}

/** The largest array of objects at the top or up to two objects down (`{ data: { users: [...] } }`). */
function findRecords(value: unknown, at: string, depth: number): { at: string; records: Record<string, unknown>[] } | null {
  if (Array.isArray(value)) {
    const objects = value.filter(isPlainObject);
    return objects.length > 0 && objects.length * 2 >= value.length ? { at: at || "(top level)", records: objects } : null;
  }
  if (!isPlainObject(value) || depth >= 2) return null;
  let best: { at: string; records: Record<string, unknown>[] } | null = null;
  for (const [key, inner] of Object.entries(value)) {
    const found = findRecords(inner, at ? `${at}.${safeName(key) ?? "?"}` : (safeName(key) ?? "?"), depth + 1);
    if (found && (!best || found.records.length > best.records.length)) best = found;
  }
  return best;
}

// Field names, lower-cased with separators removed (`password_hash` → `passwordhash`).
const PERSONAL = /(e?mail|phone|mobile|telephone|address|street|postcode|postalcode|zipcode|birth|dob$|ssn|taxid|iban|firstname|lastname|fullname|^ip$|ipaddr)/;
const PASSWORD = /(password|passwd|pwd)/;
const SECRET = /(salt|secret|token|apikey|privatekey|^otp|totp|mfa|recoverycode|sessionid|cardnumber|creditcard|cvv|cvc)/;
/** Timestamps and flags about a secret (`passwordChangedAt`, `mfaEnabled`) are not the secret. */
const ABOUT_A_SECRET = /(at|on|date|time|expires|expiry|count|length|enabled|required|changed|updated|created|set|type)$/;
const ACCOUNT = /^(role|roles|isadmin|admin|permissions|scopes|usertype|accounttype|isstaff|issuperuser)$/;
/** Values that are secrets whatever the field is called: bcrypt/argon2/scrypt hashes, JWTs. */
const SECRET_VALUE = /^(\$2[aby]?\$\d\d\$|\$argon2|\$scrypt\$|eyJ[\w-]+\.eyJ[\w-]+\.)/;
/** What a token or key looks like (a `token: "ETH"` column of a price list does not). */
const TOKEN_LIKE = /^\S{8,}$/;

const normal = (name: string) => name.toLowerCase().replace(/[^a-z0-9]/g, "");

/** Each record's fields, nested objects one level down as `customer.email`. */
function flatten(record: Record<string, unknown>): [string, unknown][] {
  return Object.entries(record).flatMap(([key, value]): [string, unknown][] =>
    isPlainObject(value) ? Object.entries(value).map(([inner, v]): [string, unknown] => [`${key}.${inner}`, v]) : [[key, value]],
  );
}

export interface FieldReport {
  fields: string[];
  personal: string[];
  secret: string[];
  account: string[];
}

/** Which fields look personal or secret, by their names and their values. A name alone is not
 * enough where it is common in public data: a secret-named field needs a token-like value, a
 * personal-named one a text or number value (`mobile: true` is a feature flag). */
export function judgeFields(records: Record<string, unknown>[]): FieldReport {
  const fields: string[] = [];
  const personal = new Set<string>();
  const secret = new Set<string>();
  const account = new Set<string>();
  for (const record of records.slice(0, 50)) {
    for (const [key, value] of flatten(record)) {
      const name = safeName(key);
      if (name === null) continue;
      if (!fields.includes(name)) fields.push(name);
      const leaf = normal(name.split(".").pop() ?? name);
      const text = typeof value === "string" ? value.trim() : null;
      const filled = (text !== null && text !== "") || typeof value === "number";
      const aboutASecret = ABOUT_A_SECRET.test(leaf);
      if (text && SECRET_VALUE.test(text)) secret.add(name);
      else if (PASSWORD.test(leaf) && !aboutASecret && filled) secret.add(name);
      else if (SECRET.test(leaf) && !aboutASecret && text && TOKEN_LIKE.test(text)) secret.add(name);
      else if ((PERSONAL.test(leaf) && filled) || (text && isEmail(text))) personal.add(name);
      else if (ACCOUNT.test(leaf)) account.add(name);
    }
  }
  // A field seen as secret in one record and personal in another is secret.
  for (const name of secret) personal.delete(name);
  return { fields: fields.slice(0, 40), personal: [...personal], secret: [...secret], account: [...account].filter((n) => !secret.has(n) && !personal.has(n)) };
}

/** The first record with every value replaced: the shape of what leaks, none of its content. */
function redactedExample(record: Record<string, unknown>, report: FieldReport): Record<string, unknown> {
  const example: Record<string, unknown> = {};
  for (const [key, value] of flatten(record)) {
    const name = safeName(key);
    if (name === null) continue;
    example[name] = report.secret.includes(name) ? "[redacted]" : redactValue(value);
    if (Object.keys(example).length >= 20) break;
  }
  return example;
}

function redactValue(value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (typeof value === "string") return isEmail(value) ? maskEmail(value.trim()) : SECRET_VALUE.test(value) ? "[redacted]" : "[text]";
  if (typeof value === "number") return "[number]";
  if (typeof value === "boolean") return "[boolean]";
  if (Array.isArray(value)) return `[list of ${value.length}]`;
  return "[object]";
}

const RECOMMENDATION =
  "Check the session and the role at the top of the route handler (a shared withAdmin(handler) wrapper) and answer 401/403 before reading any data; middleware alone is not enough, because matchers often skip /api and a route outlives the matcher that covered it. " +
  "Return only the fields the caller needs (never password hashes or tokens). Then find out from the access logs who called it, and rotate what leaked (reset tokens and sessions; force a password reset if hashes were served).";

export const netDataExposure: Check = {
  code: "net.data_exposure",
  domain: "network",
  title: "API hands records to anonymous callers",
  description:
    "An API (the target's endpoints under /api/ or /admin/, and a short list of well-known data paths) must not answer a request without credentials with records: a JSON array of objects, or an object holding one. " +
    "Critical when the path is an admin one, or when the records hold personal fields (e-mail, phone, address, …) or secrets (password hashes, tokens, keys). " +
    "Public lists without such fields (posts, plans) are not findings; HTML pages, empty bodies and error objects never are, whatever their status.",
  async run({ target, site }) {
    const endpoints = (await site.endpoints()).map((e) => e.url).filter((url) => (pathOf(url).startsWith("/api/") || isAdminEndpoint(url)) && !isAuthEndpoint(url));
    const urls = urlsOf(target.baseUrl, [...endpoints, ...WELL_KNOWN_DATA_PATHS]);
    const asked = await askAllAnonymously(site, urls);
    if ("outcome" in asked) return asked.outcome;
    const issues: IssueDraft[] = [];
    const judged: { url: string; status: number; answer: string }[] = [];
    for (const { url, res } of asked.answers) {
      const answer = readApiAnswer(res);
      judged.push({ url, status: res.status, answer: answer.kind });
      if (answer.kind !== "records" || res.status < 200 || res.status >= 300) continue;
      const admin = isAdminEndpoint(url);
      const report = judgeFields(answer.records);
      const sensitive = [...report.secret, ...report.personal];
      if (!admin && sensitive.length === 0) continue; // a public list: posts, plans, components
      const count = answer.records.length;
      const named = [...report.secret, ...report.personal, ...report.account];
      issues.push({
        severity: "critical",
        title: `${shownPath(url)} hands ${count} record${count === 1 ? "" : "s"}${named.length > 0 ? ` with ${listed(named)}` : ""} to anonymous callers`,
        description:
          `A request without a session cookie or token got ${count} record${count === 1 ? "" : "s"} from ${admin ? "this admin API" : "this API"}` +
          (sensitive.length > 0 ? `, with ${report.secret.length > 0 ? "secrets" : "personal data"} in them` : "") +
          ". Anyone who finds the URL (it is in the site's scripts, or easy to guess) can download them.",
        subject: url,
        evidence: {
          url,
          status: res.status,
          contentType: contentTypeOf(res),
          requestCredentials: "none",
          recordCount: count,
          recordsAt: answer.at,
          fields: report.fields,
          personalFields: report.personal,
          secretFields: report.secret,
          accountFields: report.account,
          example: redactedExample(answer.records[0] as Record<string, unknown>, report),
        },
        recommendation: RECOMMENDATION,
      });
    }
    return outcome(issues, { asked: urls.length, answered: judged.length, answers: judged, unanswered: asked.unanswered });
  },
};
