// Readings of a database server shared by the health endpoint and the checks.
import type pg from "pg";

/** Milliseconds rounded to 0.1. */
export function roundMs(ms: number): number {
  return Math.round(ms * 10) / 10;
}

/** Round trips of `SELECT 1` on one session, sorted, in ms (0.1 precision). */
export async function roundTrips(client: pg.ClientBase, samples: number): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < Math.max(1, samples); i++) {
    const started = performance.now();
    await client.query("SELECT 1");
    times.push(roundMs(performance.now() - started));
  }
  return times.sort((a, b) => a - b);
}

export function median(sorted: number[]): number {
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

export interface ConnectionLimits {
  max: number;
  /** Slots kept for superusers and roles with pg_use_reserved_connections. */
  reserved: number;
  /** What clients can use: max minus reserved. */
  usable: number;
  /** The role the session runs as: the application's, when the target URL is the app's. */
  role: string;
}

export async function connectionLimits(client: pg.ClientBase): Promise<ConnectionLimits> {
  const { rows } = await client.query<{ max: number; reserved: number; role: string }>(
    `SELECT current_setting('max_connections')::int AS max, current_user AS role,
            current_setting('superuser_reserved_connections')::int
              + coalesce(current_setting('reserved_connections', true)::int, 0) AS reserved`,
  );
  const { max = 0, reserved = 0, role = "" } = rows[0] ?? {};
  return { max, reserved, usable: Math.max(max - reserved, 1), role };
}
