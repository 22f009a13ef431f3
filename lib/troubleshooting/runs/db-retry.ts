// The add-on's own database can drop a connection under a running run (a failover, a restart, an
// administrator's pg_terminate_backend). Both pools (Prisma's and the checkpointer's) open a new
// connection on the next query, so a write that failed on a dropped connection is worth retrying;
// any other error is real and is not retried.
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

const BACKOFF_MS = [250, 1_000];

/** Runs `work`, again after 0.25 s and 1 s if it failed on a dropped connection. Only for work
 * that is safe to repeat: a transaction (rolled back with its connection) or an idempotent write. */
export async function retryOnConnectionError<T>(work: () => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await work();
    } catch (err) {
      const delay = BACKOFF_MS[attempt];
      if (delay === undefined || !isConnectionError(err)) throw err;
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }
}
