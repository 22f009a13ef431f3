// What the add-on takes as a site, a database and a path on a site, wherever it comes from
// (environment, CLI, stored targets): one set of rules, so every boundary refuses the same values.

/** An http(s) URL without a user name or password: a target's URL is printed, reported, logged and
 * stored with each run, so credentials have settings of their own (a session cookie, a bearer
 * token), sealed and sent only to the target's origin. */
export function isSiteUrl(value: string): boolean {
  if (!/^https?:\/\//i.test(value) || !URL.canParse(value)) return false;
  const url = new URL(value);
  return url.username === "" && url.password === "";
}

/** A PostgreSQL URL node-postgres can connect with: a host (or a socket folder in ?host=) and a
 * port in range (the URL parser refuses one above 65535). */
export function isPostgresUrl(value: string): boolean {
  if (!/^postgres(ql)?:\/\//i.test(value) || !URL.canParse(value)) return false;
  const url = new URL(value);
  // The query may name the host and the port too (libpq's style), which node-postgres then uses.
  const port = url.searchParams.get("port");
  if (port !== null && !(/^\d{1,5}$/.test(port) && Number(port) >= 1 && Number(port) <= 65_535)) return false;
  return url.hostname !== "" || (url.searchParams.get("host") ?? "") !== "";
}

const PROBE_ORIGIN = "http://path.invalid";

/** A path on the base URL's own origin. "//other.example/x" and "/\other.example" start with a
 * slash but resolve to another origin, as a browser resolves them. */
export function isPathOnOrigin(ref: string): boolean {
  return ref.startsWith("/") && URL.canParse(ref, PROBE_ORIGIN) && new URL(ref, PROBE_ORIGIN).origin === PROBE_ORIGIN;
}

/** `text` without a password a URL in it may carry, well-formed or not ("scheme://u:pw@host",
 * "u:pw@host", "scheme:/u:pw@host"): what sits between a colon and an @ (no slash, space or quote
 * in it) is left out. For messages that quote a refused value. */
export function hideUrlPasswords(text: string): string {
  return text.replace(/:[^@\s"/]*@/g, ":***@");
}
