// The database tools' session: one of the checks' pooled read-only sessions (probes/database.ts),
// in a READ ONLY transaction whose statement_timeout is at most what is left of the call's time,
// always rolled back. Whatever the tool runs there cannot write.
import type pg from "pg";
import { FIX_APPLICATION_NAME, PROBE_APPLICATION_NAME, withDatabase } from "../../probes/database";
import type { ToolContext } from "./tool";

/** The longest a tool's statement may run (ms), and the least it is given. */
const STATEMENT_TIMEOUT_MAX_MS = 3_000;
const STATEMENT_TIMEOUT_MIN_MS = 50;

/** The application names of the add-on's own sessions: tools never look into those. */
export const OWN_APPLICATIONS: readonly string[] = [PROBE_APPLICATION_NAME, FIX_APPLICATION_NAME];

/** statement_timeout (ms) for a call: at most STATEMENT_TIMEOUT_MAX_MS, and under the deadline. */
export function statementTimeoutMs(deadline: number | undefined, now = Date.now()): number {
  const left = deadline === undefined ? STATEMENT_TIMEOUT_MAX_MS : deadline - now - 100;
  return Math.max(STATEMENT_TIMEOUT_MIN_MS, Math.min(STATEMENT_TIMEOUT_MAX_MS, Math.floor(left)));
}

/** Runs `work` in `BEGIN READ ONLY` with `SET LOCAL statement_timeout`, then ROLLBACK. */
export async function readOnlyTransaction<T>(ctx: Pick<ToolContext, "target" | "signal" | "deadline">, work: (client: pg.ClientBase) => Promise<T>): Promise<T> {
  return withDatabase(ctx.target.databaseUrl, ctx.signal, "read-only", async (client) => {
    await client.query("BEGIN READ ONLY");
    try {
      await client.query(`SET LOCAL statement_timeout = ${statementTimeoutMs(ctx.deadline)}`);
      return await work(client);
    } finally {
      await client.query("ROLLBACK").catch(() => undefined);
    }
  });
}

/** Seconds rounded to 0.1 (null stays null). */
export const seconds = (v: number | null | undefined): number | null => (v == null ? null : Math.max(0, Math.round(v * 10) / 10));

/** An ISO time, or null. */
export const iso = (v: Date | string | null | undefined): string | null => (v == null ? null : new Date(v).toISOString());
