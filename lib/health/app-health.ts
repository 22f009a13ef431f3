// GET /api/admin/bots/health: is this add-on up, and can it reach its own database?
import type { PrismaClient } from "../db";
import { type DbError, describeDbError } from "./pg-errors";
import { roundMs } from "../troubleshooting/probes/database-facts";
import { withDeadline } from "../troubleshooting/probes/resilience";
import packageJson from "../../package.json";

/** Above this round-trip the app still works but is reported degraded. */
const DEGRADED_DB_LATENCY_MS = 250;
const DB_TIMEOUT_MS = 3_000;

type HealthStatus = "ok" | "degraded" | "down";

export interface AppHealth {
  status: HealthStatus;
  version: string;
  uptimeSeconds: number;
  checkedAt: string;
  database: { reachable: boolean; latencyMs: number | null; error?: DbError };
}

export async function checkAppHealth(prisma: PrismaClient): Promise<AppHealth> {
  const base = { version: packageJson.version, uptimeSeconds: Math.round(process.uptime()), checkedAt: new Date().toISOString() };
  try {
    // The first query may open a pool connection; the second measures the round trip itself.
    await withDeadline(DB_TIMEOUT_MS, () => prisma.$queryRaw`SELECT 1`);
    const started = performance.now();
    await withDeadline(DB_TIMEOUT_MS, () => prisma.$queryRaw`SELECT 1`);
    const latencyMs = roundMs(performance.now() - started);
    const status = latencyMs > DEGRADED_DB_LATENCY_MS ? "degraded" : "ok";
    return { status, ...base, database: { reachable: true, latencyMs } };
  } catch (err) {
    return { status: "down", ...base, database: { reachable: false, latencyMs: null, error: describeDbError(err) } };
  }
}
