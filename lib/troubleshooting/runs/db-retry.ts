// The add-on's own database can drop a connection under a running run (a failover, a restart, an
// administrator's pg_terminate_backend). Both pools (Prisma's and the checkpointer's) open a new
// connection on the next query, so a write that failed on a dropped connection is worth retrying;
// any other error is real and is not retried.
import { ExponentialBackoff, handleWhen, noJitterGenerator, retry } from "cockatiel";
import { isTransient } from "../probes/resilience";

// admin_shutdown, crash_shutdown, cannot_connect_now (starting up), and the connection_exception class.
const CONNECTION_SQLSTATES = new Set(["57P01", "57P02", "57P03", "08000", "08001", "08003", "08004", "08006"]);
// What @prisma/adapter-pg maps socket errors to.
const CONNECTION_KINDS = new Set(["ConnectionClosed", "DatabaseNotReachable", "SocketTimeout"]);

interface MaybeDbError {
  code?: unknown;
  message?: unknown;
  meta?: { driverAdapterError?: { cause?: { code?: unknown; originalCode?: unknown; kind?: unknown } } };
}

/** True for an error of a connection that went away, from Prisma (via adapter-pg) or from pg itself. */
export function isConnectionError(err: unknown): boolean {
  if (isTransient(err)) return true;
  const e = (err ?? {}) as MaybeDbError;
  const cause = e.meta?.driverAdapterError?.cause;
  if (cause && (CONNECTION_SQLSTATES.has(String(cause.originalCode ?? cause.code)) || CONNECTION_KINDS.has(String(cause.kind)))) return true;
  if (typeof e.code === "string" && CONNECTION_SQLSTATES.has(e.code)) return true;
  // pg's own words when the socket closes under a query (no code).
  return typeof e.message === "string" && /Connection terminated|Client has encountered a connection error/i.test(e.message);
}

// Two more attempts, after 0.25 s and 0.5 s (no jitter: one process retries its own write).
const connectionRetry = retry(handleWhen(isConnectionError), {
  maxAttempts: 2,
  backoff: new ExponentialBackoff({ initialDelay: 250, maxDelay: 1_000, generator: noJitterGenerator }),
});

/** Runs `work`, again after 0.25 s and 0.5 s if it failed on a dropped connection. Only for work
 * that is safe to repeat: a transaction (rolled back with its connection) or an idempotent write. */
export function retryOnConnectionError<T>(work: () => Promise<T>): Promise<T> {
  return connectionRetry.execute(() => work());
}
