// The correlation id of the request (and the id of the run) being served, carried through every
// await by AsyncLocalStorage, so each log line says which request or run wrote it without
// handing a logger down every call.
import { AsyncLocalStorage } from "node:async_hooks";
import { randomUUID } from "node:crypto";

export interface LogContext {
  correlationId?: string;
  runId?: string;
}

const storage = new AsyncLocalStorage<LogContext>();

export function logContext(): LogContext {
  return storage.getStore() ?? {};
}

/** Runs `work` with the current context plus `context` (an inner run id adds to the request's). */
export function withLogContext<T>(context: LogContext, work: () => T): T {
  return storage.run({ ...storage.getStore(), ...context }, work);
}

const CALLER_ID = /^[\w.:-]{1,64}$/;

/** The caller's X-Request-ID when it is a sane token (a proxy's id ties our lines to its own),
 * else a new one. */
export function correlationIdOf(req: Request): string {
  const given = req.headers.get("x-request-id");
  return given && CALLER_ID.test(given) ? given : randomUUID();
}
