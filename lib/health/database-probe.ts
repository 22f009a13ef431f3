// GET /api/admin/bots/database: a read-only connectivity test of the target database.
import { describeDbError, type DbError } from "./pg-errors";
import { withDatabase } from "../troubleshooting/probes/database";
import { connectionLimits, median, roundTrips } from "../troubleshooting/probes/database-facts";

const LATENCY_SAMPLES = 5;
const PROBE_TIMEOUT_MS = 10_000;

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
  try {
    return await withDatabase(connectionString, AbortSignal.timeout(PROBE_TIMEOUT_MS), "read-only", async (client) => {
      const samples = await roundTrips(client, LATENCY_SAMPLES);
      const limits = await connectionLimits(client);
      const { rows } = await client.query<{ version: string; database: string; size: string; in_use: number }>(
        `SELECT current_setting('server_version') AS version, current_database() AS database,
                pg_database_size(current_database())::text AS size,
                (SELECT count(*)::int FROM pg_stat_activity WHERE backend_type = 'client backend') AS in_use`,
      );
      const row = rows[0];
      if (!row) throw new Error("empty result");
      return {
        connected: true,
        checkedAt,
        serverVersion: row.version,
        database: row.database,
        latencyMs: { median: median(samples), min: samples[0] ?? 0, max: samples.at(-1) ?? 0, samples: samples.length },
        connections: {
          inUse: row.in_use,
          max: limits.max,
          reserved: limits.reserved,
          available: Math.max(limits.usable - row.in_use, 0),
          utilization: Math.round((row.in_use / limits.usable) * 1000) / 1000,
        },
        databaseSizeBytes: Number(row.size),
      };
    });
  } catch (err) {
    return { connected: false, checkedAt, error: describeDbError(err) };
  }
}
