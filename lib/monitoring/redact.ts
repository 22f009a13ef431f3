// Secrets that can hide inside any string (an error message, a URL, a header dump): scrubbed
// before a log line is written, on top of pino's redaction of known field names.
const PATTERNS: [RegExp, string][] = [
  [/(\b[a-z][a-z0-9+.-]*:\/\/[^:/?#\s@]+:)[^@/\s]+@/gi, "$1***@"], // passwords in connection strings and URLs
  [/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/g, "$1 ***"], // Authorization values
  [/\bsk-[A-Za-z0-9_-]{8,}/g, "sk-***"], // OpenAI keys
  [/\b((?:__Secure-|__Host-)?(?:authjs|next-auth)\.[a-z-]*token[^=;\s]*)=[^;\s]+/gi, "$1=***"], // session cookies
  [/([?&](?:secret|token|key|password|sig|signature)=)[^&\s]+/gi, "$1***"], // secrets in query strings
  [/(\bhttps?:\/\/hooks\.slack\.com\/services\/)[^\s"'<>]+/gi, "$1***"], // Slack webhook URLs (they grant posting)
];

export function scrubString(text: string): string {
  return PATTERNS.reduce((out, [pattern, replacement]) => out.replace(pattern, replacement), text);
}

/** A deep copy with every string scrubbed. */
export function scrub<T>(value: T, depth = 0): T {
  if (typeof value === "string") return scrubString(value) as T;
  if (depth > 8 || value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) return value.map((v) => scrub(v, depth + 1)) as T;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, scrub(v, depth + 1)])) as T;
}
