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
  work: (client: pg.ClientBase) => Promise<T>,
): Promise<T> {
  const parsed = new URL(url);
  // libpq-style ?host= / ?hostaddr= would connect somewhere other than the host checked here.
  if (parsed.searchParams.has("host") || parsed.searchParams.has("hostaddr")) throw new BlockedAddressError(`${parsed.hostname} (host given in the query string)`);
  await assertProbeAllowed(parsed);
  return mode === "read-only" ? withPooledReader(url, signal, work) : withFixSession(url, signal, work);
}

/** Diagnostics share a few pooled read-only sessions per database (a run has 20+ checks; a new
 * connection each would cost more than most queries). Idle sessions close after 5 s. */
const readers = new Map<string, pg.Pool>();

async function withPooledReader<T>(url: string, signal: AbortSignal, work: (client: pg.ClientBase) => Promise<T>): Promise<T> {
  let pool = readers.get(url);
  if (!pool) {
    pool = new pg.Pool({
      connectionString: url,
      max: 4,
      idleTimeoutMillis: 5_000,
      allowExitOnIdle: true,
      connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
      application_name: PROBE_APPLICATION_NAME,
    });
    pool.on("error", () => {}); // an idle session the server dropped; the next query reports it
    // Set per session rather than as startup options, which poolers such as PgBouncer refuse.
    // Queued before the first query of whoever checks the session out.
    pool.on("connect", (client) => {
      // A session dropped while checked out (between a check's queries) errors on the client, not
      // the pool; unhandled, that would crash the process. Its next query reports the failure.
      client.on("error", () => {});
      client.query(`SET statement_timeout = ${STATEMENT_TIMEOUT_MS}; SET default_transaction_read_only = on`).catch(() => {});
    });
    readers.set(url, pool);
  }
  const client = await pool.connect();
  if (signal.aborted) {
    client.release();
    throw new Error("aborted before the query started");
  }
  let destroyed = false;
  // An aborted check must not leave its query running on a shared session: drop the session.
  const abort = () => {
    destroyed = true;
    client.release(true);
  };
  signal.addEventListener("abort", abort, { once: true });
  try {
    return await work(client);
  } catch (err) {
    if (!destroyed) {
      destroyed = true;
      client.release(true); // its state is unknown after an error
    }
    throw err;
  } finally {
    signal.removeEventListener("abort", abort);
    if (!destroyed) client.release();
  }
}

/** Closes the pooled diagnostic sessions (before a database server stops, or at exit). */
export async function closeProbeSessions(): Promise<void> {
  const pools = [...readers.values()];
  readers.clear();
  await Promise.all(pools.map((pool) => pool.end().catch(() => {})));
}

/** Fix actions get a session of their own, tagged so that checks never count or touch it. */
async function withFixSession<T>(url: string, signal: AbortSignal, work: (client: pg.ClientBase) => Promise<T>): Promise<T> {
  const client = new pg.Client({
    connectionString: url,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    statement_timeout: STATEMENT_TIMEOUT_MS,
    application_name: FIX_APPLICATION_NAME,
  });
  client.on("error", () => {}); // reported through the failing query instead
  const abort = () => void client.end().catch(() => {});
  signal.addEventListener("abort", abort, { once: true });
  try {
    await client.connect();
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
