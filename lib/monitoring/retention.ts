// Retention: deletes what is older than RETENTION_DAYS, a batch at a time (each statement deletes
// at most `batchSize` rows chosen by a LIMITed subquery, so no statement holds locks on, or
// writes WAL for, a whole table's worth of rows).
//
// Deleted: ended runs (their events, issues and fix actions go with them by ON DELETE CASCADE,
// their LangGraph checkpoints explicitly), metric samples, log entries, tracked errors, alerts
// and per-day history. Kept: active runs, whatever their age (a queued run or one waiting for
// approval may be old and still matter), and the AuditLog, which is the audit trail of who did
// what (approvals, fixes, sign-ins) and must outlive the data it refers to.
import { Prisma } from "../generated/prisma/client";
import type { PrismaClient } from "../db";
import type { Env } from "../env";
import { APP_SCHEMA, CHECKPOINT_SCHEMA } from "../own-schemas";
import { ACTIVE_RUN_STATUSES } from "../troubleshooting/report";

/** The tables @langchain/langgraph-checkpoint-postgres keeps in CHECKPOINT_SCHEMA (workflow/engine.ts). */
const CHECKPOINT_TABLES = ["checkpoints", "checkpoint_blobs", "checkpoint_writes"] as const;

export interface PruneOptions {
  retentionDays: number;
  batchSize?: number;
  now?: Date;
}

/** Rows deleted per table; `checkpoints` counts rows of all three LangGraph checkpoint tables. */
export interface PruneCounts {
  runs: number;
  metricSamples: number;
  logEntries: number;
  trackedErrors: number;
  alerts: number;
  alertDeliveries: number;
  checkSamples: number;
  historyDays: number;
  checkpoints: number;
}

/** Tables pruned by a timestamp column; names are constants, never input. */
const TIMED_TABLES = [
  { key: "metricSamples", table: "MetricSample", column: "recordedAt" },
  { key: "logEntries", table: "LogEntry", column: "at" },
  { key: "trackedErrors", table: "TrackedError", column: "at" },
  { key: "alerts", table: "Alert", column: "createdAt" },
  { key: "alertDeliveries", table: "AlertDelivery", column: "createdAt" },
  { key: "checkSamples", table: "CheckSample", column: "at" },
] as const satisfies readonly { key: keyof PruneCounts; table: string; column: string }[];

export async function pruneExpired(prisma: PrismaClient, options: PruneOptions): Promise<PruneCounts> {
  const { retentionDays, batchSize = 500, now = new Date() } = options;
  if (!Number.isInteger(retentionDays) || retentionDays < 1) throw new RangeError("retentionDays must be a whole number of days, at least 1");
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new RangeError("batchSize must be a positive whole number");
  const cutoff = new Date(now.getTime() - retentionDays * 86_400_000);
  const cutoffDay = cutoff.toISOString().slice(0, 10);
  const counts: PruneCounts = { runs: 0, metricSamples: 0, logEntries: 0, trackedErrors: 0, alerts: 0, alertDeliveries: 0, checkSamples: 0, historyDays: 0, checkpoints: 0 };

  // Runs first: deleting them nulls their metric samples' runId (ON DELETE SET NULL), nothing more.
  const checkpointTables = await existingCheckpointTables(prisma);
  const active = [...ACTIVE_RUN_STATUSES];
  for (;;) {
    const batch = await prisma.$queryRaw<{ id: string }[]>`
      SELECT id FROM troubleshooter."TroubleshootingRun"
      WHERE "startedAt" < ${cutoff} AND status::text <> ALL(${active}::text[])
      LIMIT ${batchSize}`;
    if (batch.length === 0) break;
    const ids = batch.map((r) => r.id);
    // Checkpoints before their run: if the process stops in between, the run is still there and
    // the next prune finishes the job. (An interrupted run this old is pruned too: resuming it
    // after the retention period is not offered.)
    for (const table of checkpointTables) {
      counts.checkpoints += await prisma.$executeRaw`
        DELETE FROM ${Prisma.raw(`"${CHECKPOINT_SCHEMA}"."${table}"`)} WHERE thread_id = ANY(${ids}::text[])`;
    }
    counts.runs += await prisma.$executeRaw`
      DELETE FROM troubleshooter."TroubleshootingRun" WHERE id = ANY(${ids}::text[]) AND status::text <> ALL(${active}::text[])`;
    if (batch.length < batchSize) break;
  }

  for (const { key, table, column } of TIMED_TABLES) {
    const t = Prisma.raw(`"${APP_SCHEMA}"."${table}"`);
    const c = Prisma.raw(`"${column}"`);
    counts[key] = await deleteInBatches(
      batchSize,
      () => prisma.$executeRaw`DELETE FROM ${t} WHERE id IN (SELECT id FROM ${t} WHERE ${c} < ${cutoff} LIMIT ${batchSize})`,
    );
  }
  // HistoryDaily's key is (targetKey, day, kind, key): rows are picked by their physical address instead.
  counts.historyDays = await deleteInBatches(
    batchSize,
    () => prisma.$executeRaw`
      DELETE FROM troubleshooter."HistoryDaily" WHERE ctid = ANY(ARRAY(SELECT ctid FROM troubleshooter."HistoryDaily" WHERE day < ${cutoffDay}::date LIMIT ${batchSize}))`,
  );
  return counts;
}

/** Prunes with RETENTION_DAYS; null (and nothing deleted) when it is unset. */
export async function pruneConfigured(
  prisma: PrismaClient,
  config: Pick<Env, "RETENTION_DAYS">,
  options: Omit<PruneOptions, "retentionDays"> = {},
): Promise<PruneCounts | null> {
  if (config.RETENTION_DAYS === undefined) return null;
  return pruneExpired(prisma, { ...options, retentionDays: config.RETENTION_DAYS });
}

async function deleteInBatches(batchSize: number, deleteBatch: () => Promise<number>): Promise<number> {
  let total = 0;
  for (;;) {
    const deleted = await deleteBatch();
    total += deleted;
    if (deleted < batchSize) return total;
  }
}

/** The checkpoint tables that exist: LangGraph creates them on the engine's first start only. */
async function existingCheckpointTables(prisma: PrismaClient): Promise<string[]> {
  const names = CHECKPOINT_TABLES.map((table) => `${CHECKPOINT_SCHEMA}.${table}`);
  const rows = await prisma.$queryRaw<{ name: string }[]>`
    SELECT name FROM unnest(${names}::text[]) AS name WHERE to_regclass(name) IS NOT NULL`;
  const present = new Set(rows.map((r) => r.name));
  return CHECKPOINT_TABLES.filter((table) => present.has(`${CHECKPOINT_SCHEMA}.${table}`));
}
