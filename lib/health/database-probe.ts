// GET /api/admin/bots/database: a read-only connectivity test of the target database.
import pg from "pg";
import { type DbError, describeDbError } from "./pg-errors";
import { roundMs } from "./timing";

const CONNECT_TIMEOUT_MS = 5_000;
const STATEMENT_TIMEOUT_MS = 5_000;
const LATENCY_SAMPLES = 5;

export interface DatabaseProbe {
  connected: boolean;
  checkedAt: string;
  error?: DbError;
  serverVersion?: string;
  database?: string;
  latencyMs?: { median: number; min: number; max: number; samples: number };
  connections?: { inUse: number; max: number; reserved: number; available: number; utilization: number };
  databaseSizeBytes?: number;
}

export async function probeDatabase(connectionString: string): Promise<DatabaseProbe> {
  const checkedAt = new Date().toISOString();
  const client = new pg.Client({
    connectionString,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    statement_timeout: STATEMENT_TIMEOUT_MS,
    application_name: "troubleshooter-probe",
  });
  client.on("error", () => {}); // a server that goes away mid-probe must not crash the process
  try {
    await client.connect();
    await client.query("SET default_transaction_read_only = on");
    const samples: number[] = [];
    for (let i = 0; i < LATENCY_SAMPLES; i++) {
      const started = performance.now();
      await client.query("SELECT 1");
      samples.push(performance.now() - started);
    }
    const { rows } = await client.query<{
      version: string;
      database: string;
      size: string;
      in_use: string;
      max_connections: string;
      reserved: string;
    }>(`SELECT current_setting('server_version') AS version,
              current_database() AS database,
              pg_database_size(current_database())::text AS size,
              (SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'client backend')::text AS in_use,
              current_setting('max_connections') AS max_connections,
              (current_setting('superuser_reserved_connections')::int
                + coalesce(current_setting('reserved_connections', true)::int, 0))::text AS reserved`);
    const row = rows[0];
    if (!row) throw new Error("empty result");
    const max = Number(row.max_connections);
    const reserved = Number(row.reserved);
    const inUse = Number(row.in_use);
    const usable = Math.max(max - reserved, 1);
    samples.sort((a, b) => a - b);
    return {
      connected: true,
      checkedAt,
      serverVersion: row.version,
      database: row.database,
      latencyMs: {
        median: roundMs(samples[Math.floor(samples.length / 2)] ?? 0),
        min: roundMs(samples[0] ?? 0),
        max: roundMs(samples.at(-1) ?? 0),
        samples: samples.length,
      },
      connections: { inUse, max, reserved, available: Math.max(usable - inUse, 0), utilization: Math.round((inUse / usable) * 1000) / 1000 },
      databaseSizeBytes: Number(row.size),
    };
  } catch (err) {
    return { connected: false, checkedAt, error: describeDbError(err) };
  } finally {
    await client.end().catch(() => {});
  }
}
