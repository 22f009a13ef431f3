// Database access for checks (read-only session) and fix actions (their own tagged session).
// Every session has a statement_timeout and ends when the caller's signal aborts.
import pg from "pg";
import { BlockedAddressError, assertProbeAllowed } from "./address-policy";

const STATEMENT_TIMEOUT_MS = 5_000;
const CONNECT_TIMEOUT_MS = 5_000;
export const PROBE_APPLICATION_NAME = "troubleshooter-diagnostic";
export const FIX_APPLICATION_NAME = "troubleshooter-fix";

/** SQL condition (on pg_stat_activity as `a`) for client sessions other than our own probes. */
export const OWN_SESSIONS_SQL = `a.backend_type = 'client backend' AND a.pid <> pg_backend_pid()
  AND a.application_name NOT IN ('${PROBE_APPLICATION_NAME}', '${FIX_APPLICATION_NAME}')`;

export async function withDatabase<T>(
  url: string,
  signal: AbortSignal,
  mode: "read-only" | "fix",
  work: (client: pg.Client) => Promise<T>,
): Promise<T> {
  const parsed = new URL(url);
  // libpq-style ?host= / ?hostaddr= would connect somewhere other than the host checked here.
  if (parsed.searchParams.has("host") || parsed.searchParams.has("hostaddr")) throw new BlockedAddressError(`${parsed.hostname} (host given in the query string)`);
  await assertProbeAllowed(parsed);
  const client = new pg.Client({
    connectionString: url,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    statement_timeout: STATEMENT_TIMEOUT_MS,
    application_name: mode === "fix" ? FIX_APPLICATION_NAME : PROBE_APPLICATION_NAME,
  });
  client.on("error", () => {}); // reported through the failing query instead
  const abort = () => void client.end().catch(() => {});
  signal.addEventListener("abort", abort, { once: true });
  try {
    await client.connect();
    if (mode === "read-only") await client.query("SET default_transaction_read_only = on");
    return await work(client);
  } finally {
    signal.removeEventListener("abort", abort);
    await client.end().catch(() => {});
  }
}

/** Query text safe to show: literals replaced by `?`, whitespace collapsed, truncated. */
export function redactQuery(sql: string, max = 300): string {
  const stripped = sql
    .replace(/'(?:[^'\\]|''|\\.)*(?:'|$)/g, "?") // literals, backslash escapes, one cut off by truncation
    .replace(/\$([A-Za-z_]*)\$[\s\S]*?\$\1\$/g, "?")
    .replace(/(?<![\w$])\d+(\.\d+)?\b/g, "?")
    .replace(/\s+/g, " ")
    .trim();
  return stripped.length > max ? `${stripped.slice(0, max)}…` : stripped;
}

/** postgresql://user:***@host:port/db — a database URL fit for reports and logs. */
export function redactDatabaseUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = "***";
    parsed.search = "";
    return parsed.toString();
  } catch {
    return "(invalid database URL)";
  }
}
