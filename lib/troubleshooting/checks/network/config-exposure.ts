// Answers that reveal configuration: a served .env or .git/config, a debug route left over from an
// incident that lists which secrets are set and where the database lives, a stack trace that names
// the server's files. Each is judged by its content, never by its status: many sites answer every
// unknown path with 200 and their ordinary HTML (an SPA fallback), and that reveals nothing.
// The findings name what was revealed (variable names, the host of a connection string) and never
// a value: the report is read by more people than the secret was meant for.
import type { Check, IssueDraft } from "../../catalogue";
import type { HttpResult } from "../../probes/http";
import type { Severity } from "../../report";
import { askAllAnonymously, contentTypeOf, isHtml, isPlainObject, jsonOf, shownPath, urlsOf } from "../exposure";
import { listed } from "../web/content";
import { outcome } from "../outcome";

/** Paths where configuration leaks on real deployments: dotenv files and the git metadata a
 * static catch-all serves from the project folder, the debug/config routes people add during
 * an incident and forget, and the health routes load balancers call, whose failure answers often
 * carry the exception and its stack. Asked once each, anonymously, redirects not followed. */
const WELL_KNOWN_CONFIG_PATHS = [
  "/.env",
  "/.env.local",
  "/.env.production",
  "/.git/config",
  "/.git/HEAD",
  "/api/debug",
  "/api/debug/config",
  "/api/debug/env",
  "/api/env",
  "/api/config",
  "/api/_debug",
  "/debug",
  "/server-status",
  "/api/health",
  "/api/healthz",
  "/healthz",
];

type RevealedKind =
  | "dotenv file"
  | "git config"
  | "git HEAD"
  | "secret values"
  | "connection string with password"
  | "connection string"
  | "which secrets are set"
  | "internal host"
  | "stack trace"
  | "server status page";

export interface Revealed {
  kind: RevealedKind;
  severity: Severity;
  /** Variable names (never their values). */
  names?: string[];
  /** Hosts (of connection strings, *_HOST variables), without user or password. */
  hosts?: string[];
  /** Stack trace: how many frames, and where (file paths, no message). */
  frames?: number;
  files?: string[];
}

/** An environment variable's name: upper case, digits and underscores (`DATABASE_URL`, `AUTH_SECRET`). */
const ENV_NAME = /^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+$|^[A-Z]{4,}$/;
/** A variable that holds a secret. */
const SECRET_NAME = /(SECRET|PASSWORD|PASSWD|PWD|TOKEN|API_?KEY|PRIVATE_?KEY|ACCESS_?KEY|_KEY$|^KEY$|CREDENTIALS?|_DSN$|^DATABASE_URL$|^DB_URL$|_DATABASE_URL$|^(REDIS|MONGO(DB)?|POSTGRES|MYSQL)_(URL|URI)$)/;
/** Keys meant for browsers (Stripe's publishable key, Supabase's anon key, a captcha site key). */
const PUBLIC_NAME = /(PUBLIC|PUBLISHABLE|ANON_KEY|SITE_KEY)/;
/** A variable naming where something lives. */
const HOST_NAME = /(_HOST|_HOSTNAME|_ADDR|_SERVER)$/;
/** Values that only say whether a secret is there. */
const FLAG_VALUE = /^(set|unset|missing|present|absent|configured|not set|yes|no|true|false|ok|defined|undefined|null|none|\*+|\[redacted\]|<redacted>|redacted|hidden|x+)$/i;
/** Passwords in examples and placeholders, not secrets. */
const PLACEHOLDER = /^(password|pass|pw|secret|changeme|example|(my|your|random)[-_]?password|x+|\*+|\.+|<[^>]*>|\$\{[^}]*\}|\{\{[^}]*\}\}|\[[^\]]*\])$/i;

/** A connection string's scheme and authority (`user:password@host:port`, up to the path). */
const CONNECTION = /\b(postgres(?:ql)?|mysql|mariadb|mongodb(?:\+srv)?|rediss?|amqps?|mssql|sqlserver):\/\/([^\s"'<>/?#\\]+)/gi;
/** A Node stack frame: `    at fn (/app/.next/server/chunk.js:1:2)` or `    at /app/index.js:3:4`. */
const FRAME = /^\s*at\s+(?:async\s+)?(?:.*?\()?((?:\/|[A-Za-z]:\\|node:|file:\/\/|webpack)[^():\s]*)(?::\d+){1,2}\)?\s*$/;

export function revealedIn(res: HttpResult, path: string): Revealed[] {
  const found: Revealed[] = [];
  const html = isHtml(res);
  const json = jsonOf(res);
  const body = res.body;

  if (!html && json === undefined) {
    const env = dotenvNames(body);
    if (env) found.push({ kind: "dotenv file", severity: "critical", names: env });
    if (/^\s*\[core\]/m.test(body) && (/repositoryformatversion/.test(body) || /^\s*\[remote "/m.test(body))) {
      const remotes = [...body.matchAll(/^\s*url\s*=\s*(\S+)/gm)].map((m) => remoteHost(m[1] as string)).filter((h): h is string => h !== null);
      found.push({ kind: "git config", severity: "critical", hosts: [...new Set(remotes)], names: /^\s*url\s*=\s*\w+:\/\/[^/\s]*@/m.test(body) ? ["credentials in a remote URL"] : [] });
    }
    if (path.endsWith("/.git/HEAD") && /^(ref: refs\/\S+|[0-9a-f]{40})\s*$/.test(body.trim())) found.push({ kind: "git HEAD", severity: "high" });
  }

  // Variables in a JSON answer (a debug route's dump), or NAME=value / "NAME": "value" in text.
  // Not in HTML: a page may document variables (AUTH_SECRET=your-secret) without revealing any.
  const pairs = json !== undefined ? envPairs(json) : html ? [] : textPairs(body);
  const secretName = (name: string) => SECRET_NAME.test(name) && !PUBLIC_NAME.test(name);
  const valued = pairs.filter(([name, value]) => secretName(name) && value !== null && !FLAG_VALUE.test(value) && !PLACEHOLDER.test(value));
  const flagged = pairs.filter(([name, value]) => secretName(name) && (value === null || FLAG_VALUE.test(value)));
  const hostVars = pairs.filter(([name, value]) => HOST_NAME.test(name) && value !== null && !FLAG_VALUE.test(value) && value.length < 200);
  if (valued.length > 0 && !found.some((r) => r.kind === "dotenv file")) found.push({ kind: "secret values", severity: "critical", names: unique(valued.map(([n]) => n)) });
  if (flagged.length > 0) found.push({ kind: "which secrets are set", severity: "medium", names: unique(flagged.map(([n]) => n)) });
  if (hostVars.length > 0) found.push({ kind: "internal host", severity: "high", names: unique(hostVars.map(([n]) => n)), hosts: unique(hostVars.map(([, v]) => hostOnly(v as string))) });

  // Connection strings anywhere: in text, in JSON string values, in a dotenv line.
  const strings = json !== undefined ? stringsIn(json).join("\n") : body;
  const withPassword = new Set<string>();
  const without = new Set<string>();
  for (const m of strings.matchAll(CONNECTION)) {
    const authority = m[2] as string;
    const { user, password } = userinfoOf(authority);
    const hostPart = `${(m[1] as string).toLowerCase()}://${hostOf(authority)}`;
    // A page may show an example (postgres://user:password@localhost); a debug route or a dotenv
    // file holds the real thing, whatever the password looks like.
    if (password && !(html && PLACEHOLDER.test(decodeSafe(password)))) withPassword.add(hostPart);
    else if (!password && !user && !html) without.add(hostPart); // a page may name a host in prose
  }
  if (withPassword.size > 0) found.push({ kind: "connection string with password", severity: "critical", hosts: [...withPassword] });
  else if (without.size > 0) found.push({ kind: "connection string", severity: "high", hosts: [...without] });

  const stack = stackIn(strings);
  if (stack) found.push({ kind: "stack trace", severity: "high", ...stack });

  if (html && /<title>\s*Apache Status\s*<\/title>|Apache Server Status for/i.test(body)) found.push({ kind: "server status page", severity: "high" });

  // Flags alone say little; beside a host, a stack or values they complete a map of the server.
  const flags = found.find((r) => r.kind === "which secrets are set");
  if (flags && found.some((r) => r !== flags)) flags.severity = "high";
  return found;
}

/** The variable names of a dotenv file, or null: at least two `NAME=value` lines, and most of
 * the non-comment lines are such lines (an HTML page or prose is not a dotenv file). */
function dotenvNames(body: string): string[] | null {
  const lines = body.split(/\r?\n/).map((l) => l.trim()).filter((l) => l !== "" && !l.startsWith("#"));
  const names = lines.map((l) => /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=/.exec(l)?.[1]).filter((n): n is string => n !== undefined);
  return names.length >= 2 && names.length * 10 >= lines.length * 8 ? unique(names) : null;
}

/** [NAME, value as text (null for null/undefined)] of every environment-variable-like key, at any depth. */
function envPairs(value: unknown, depth = 0): [string, string | null][] {
  if (depth > 5) return [];
  if (Array.isArray(value)) return value.flatMap((v) => envPairs(v, depth + 1));
  if (!isPlainObject(value)) return [];
  return Object.entries(value).flatMap(([key, inner]): [string, string | null][] => {
    if (ENV_NAME.test(key) && (inner === null || typeof inner !== "object")) return [[key, inner === null || inner === undefined ? null : String(inner).trim()]];
    return envPairs(inner, depth + 1);
  });
}

function textPairs(body: string): [string, string | null][] {
  const pairs: [string, string | null][] = [];
  for (const m of body.matchAll(/(?:^|[\s"'>{,])([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+)["']?\s*[=:]\s*["']?([^\s"'<,}]*)/gm)) pairs.push([m[1] as string, (m[2] as string) || null]);
  return pairs;
}

function stringsIn(value: unknown, depth = 0): string[] {
  if (typeof value === "string") return [value];
  if (depth > 6) return [];
  if (Array.isArray(value)) return value.flatMap((v) => stringsIn(v, depth + 1));
  if (isPlainObject(value)) return Object.values(value).flatMap((v) => stringsIn(v, depth + 1));
  return [];
}

/** Two or more Node stack frames, or a frame in Next's server build: the files, not the message. */
function stackIn(text: string): { frames: number; files: string[] } | null {
  const files = text
    .split(/\r?\n/)
    .map((line) => FRAME.exec(line)?.[1])
    .filter((f): f is string => f !== undefined);
  if (files.length >= 2 || files.some((f) => f.includes("/.next/server/"))) return { frames: files.length, files: unique(files).slice(0, 5) };
  return null;
}

/** `host`, `host:port`, `[::1]:port`, or a list of them (`h1:27017,h2:27017`). */
const HOSTS = /^(?:\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9_.-]+)(?::\d{1,5})?(?:,(?:\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9_.-]+)(?::\d{1,5})?)*$/;

/** The host part of an authority, never its user or password: what follows the last `@` (a
 * password with an unencoded `@` leaves more than one), and only when it reads as host[:port]
 * (an unencoded `/` or `#` in a password cuts the authority short, leaving part of it). */
function hostOf(authority: string): string {
  const host = authority.slice(authority.lastIndexOf("@") + 1).replace(/[.,;:]+$/, "");
  return HOSTS.test(host) ? host.slice(0, 100) : "(host not shown)";
}

/** Whether an authority carries a user and a password (up to the last `@`). */
function userinfoOf(authority: string): { user: string; password: string } {
  const at = authority.lastIndexOf("@");
  if (at < 0) return { user: "", password: "" };
  const info = authority.slice(0, at);
  const colon = info.indexOf(":");
  return colon < 0 ? { user: info, password: "" } : { user: info.slice(0, colon), password: info.slice(colon + 1) };
}

/** `https://user:token@github.com/acme/app.git`, `git@github.com:acme/app.git` → `github.com`. */
function remoteHost(url: string): string | null {
  const authority = /^\w[\w+.-]*:\/\/([^/\s]+)/.exec(url)?.[1] ?? /^([^\s:]*@[^:\s@]+):/.exec(url)?.[1];
  return authority === undefined ? null : hostOf(authority);
}

/** A host variable's value without any user or password (`user:pw@10.0.0.5:5432` → `10.0.0.5:5432`). */
function hostOnly(value: string): string {
  return hostOf(value.replace(/^\w[\w+.-]*:\/\//, "").split("/")[0] ?? "");
}

function decodeSafe(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** At most 30, each at most 64 characters (a name the target made long would fill a title). */
const unique = (names: string[]) => [...new Set(names)].slice(0, 30).map((n) => (n.length > 64 ? `${n.slice(0, 63)}…` : n));

const ORDER: Severity[] = ["critical", "high", "medium", "low", "info"];

const PHRASES: Record<RevealedKind, string> = {
  "dotenv file": "a dotenv file",
  "git config": "the git config",
  "git HEAD": "the git HEAD",
  "secret values": "secret values",
  "connection string with password": "a connection string with its password",
  "connection string": "a connection string",
  "which secrets are set": "which secrets are set",
  "internal host": "an internal host",
  "stack trace": "a stack trace",
  "server status page": "the server status page",
};

const RECOMMENDATIONS: Partial<Record<RevealedKind, string>> = {
  "dotenv file": "Stop serving the project folder: the web server or a static catch-all must serve only the public/ build output (never the folder holding .env). Then rotate every secret in the file.",
  "git config": "Do not deploy the .git folder (or deny /.git/ at the web server). Revoke any token in the remote URL.",
  "git HEAD": "Do not deploy the .git folder (or deny /.git/ at the web server): the repository, history included, can be downloaded from it.",
  "secret values": "Remove the route (or guard it behind an admin session) and rotate every secret it served.",
  "connection string with password": "Remove the route (or guard it) and change the database password: it has been public.",
};

export const netConfigExposure: Check = {
  code: "net.config_exposure",
  domain: "network",
  title: "Configuration revealed to anonymous callers",
  description:
    "Well-known configuration and debug paths (/.env, /.git/config, /api/debug, …) and the target's own endpoints must not reveal configuration to a request without credentials, judged by content (a 200 with the site's ordinary HTML is not a finding). " +
    "Critical: a served dotenv file or git config, secret values (*_SECRET, *_KEY, *_TOKEN, *_PASSWORD, DATABASE_URL, …), a connection string with a password. " +
    "High: internal hosts, connection strings without a password, stack traces, a served .git/HEAD, Apache's server-status. " +
    "Medium: which secrets are set (names with set/missing flags), high beside any of the above.",
  async run({ target, site }) {
    const endpoints = (await site.endpoints()).map((e) => e.url);
    const urls = urlsOf(target.baseUrl, [...WELL_KNOWN_CONFIG_PATHS, ...endpoints]);
    const asked = await askAllAnonymously(site, urls);
    if ("outcome" in asked) return asked.outcome;
    const issues: IssueDraft[] = [];
    for (const { url, res } of asked.answers) {
      const revealed = revealedIn(res, new URL(url).pathname);
      if (revealed.length === 0) continue;
      const severity = ORDER.find((s) => revealed.some((r) => r.severity === s)) as Severity;
      const names = unique(revealed.flatMap((r) => r.names ?? []));
      const kinds = revealed.map((r) => r.kind);
      const phrases = kinds.map((k) => PHRASES[k]);
      issues.push({
        severity,
        title: `${shownPath(url)} reveals ${listed(phrases, 3)}${names.length > 0 ? ` (${listed(names, 3)})` : ""}`,
        description:
          `A request without credentials to ${shownPath(url)} (HTTP ${res.status}) got ${listed(phrases, 10)}. ` +
          "Secrets, where the database lives and how the server is laid out are what an attacker needs next; the values are not copied into this report.",
        subject: url,
        evidence: { url, status: res.status, contentType: contentTypeOf(res), requestCredentials: "none", revealed },
        recommendation:
          kinds.map((k) => RECOMMENDATIONS[k]).find((r) => r !== undefined) ??
          "Remove the debug route (or guard it behind an admin session in the handler) and answer errors with a generic message: log the stack on the server, never send it.",
      });
    }
    return outcome(issues, { asked: urls.length, answered: asked.answers.length, unanswered: asked.unanswered });
  },
};
