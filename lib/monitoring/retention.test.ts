import { PostgresSaver } from "@langchain/langgraph-checkpoint-postgres";
import pg from "pg";
import { describe, expect, it } from "vitest";
import { createTestDatabase } from "../../fixtures/test/databases";
import { createPrismaClient, type PrismaClient } from "../db";
import { Prisma } from "../generated/prisma/client";
import { CHECKPOINT_SCHEMA } from "../own-schemas";
import type { RunStatus } from "../troubleshooting/report";
import { pruneExpired, pruneConfigured } from "./retention";

const NOW = new Date("2026-06-15T12:00:00Z");
const OLD = new Date("2026-05-01T08:00:00Z"); // 45 days before NOW
const NEW = new Date("2026-06-10T08:00:00Z"); // 5 days before NOW

async function seed(prisma: PrismaClient) {
  const run = async (status: RunStatus, startedAt: Date) => {
    const { id } = await prisma.troubleshootingRun.create({ data: { trigger: "api", status, target: {}, targetKey: `k-${status}-${startedAt.getTime()}-${Math.random()}`, startedAt } });
    for (let seq = 1; seq <= 3; seq++) await prisma.runEvent.create({ data: { runId: id, seq, phase: "diagnostics", type: "phase_started", payload: {} } });
    const issue = await prisma.issue.create({ data: { runId: id, code: "web.slow_ttfb", domain: "web", severity: "high", title: "t", description: "d", evidence: {}, detectedBy: "test" } });
    await prisma.fixAction.create({ data: { runId: id, issueId: issue.id, code: "web.revalidate_paths", risk: "safe" } });
    await prisma.metricSample.create({ data: { runId: id, name: "run.sample", value: 1, recordedAt: startedAt } });
    return id;
  };
  const oldEnded = [await run("completed", OLD), await run("failed", OLD), await run("cancelled", OLD), await run("interrupted", OLD)];
  const oldActive = [await run("running", OLD), await run("awaiting_approval", OLD), await run("queued", OLD)];
  const fresh = [await run("completed", NEW), await run("failed", NEW)];
  for (const at of [OLD, OLD, OLD, NEW, NEW]) {
    await prisma.metricSample.create({ data: { name: "free.sample", value: 2, recordedAt: at } });
    await prisma.logEntry.create({ data: { at, level: 30, msg: at === OLD ? "old" : "new", data: {} } });
    await prisma.trackedError.create({ data: { at, category: "timeout", source: "check", code: "web.slow_ttfb", message: "m" } });
    await prisma.alert.create({ data: { createdAt: at, kind: "run_failed", severity: "warning", dedupeKey: "k", title: "t", message: "m" } });
    await prisma.auditLog.create({ data: { createdAt: at, action: "run.started" } });
  }
  for (const day of ["2026-04-30", "2026-05-01", "2026-05-15", "2026-05-16", "2026-06-10"]) {
    for (const key of ["high", "low"]) await prisma.historyDaily.create({ data: { day: new Date(day), kind: "severity", key, count: 1 } });
  }
  return { oldEnded, oldActive, fresh };
}

/** The client, recording each raw statement's SQL and affected rows. */
function recordingDeletes(prisma: PrismaClient) {
  const deletes: { sql: string; rows: number }[] = [];
  const executeRaw = async (...args: Parameters<PrismaClient["$executeRaw"]>) => {
    const rows = await prisma.$executeRaw(...args);
    const [query, ...values] = args;
    deletes.push({ sql: ("strings" in query ? query : Prisma.sql(query, ...values)).sql, rows });
    return rows;
  };
  const client = new Proxy(prisma, {
    get(target, prop) {
      if (prop === "$executeRaw") return executeRaw;
      const value: unknown = Reflect.get(target, prop);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
  return { client, deletes };
}

describe("pruneExpired", () => {
  it("deletes, in batches, exactly the ended runs and rows older than the cut-off, with their checkpoints", async () => {
    const url = await createTestDatabase();
    const pool = new pg.Pool({ connectionString: url, max: 1 });
    const prisma = createPrismaClient(url);
    try {
      const saver = new PostgresSaver(pool, undefined, { schema: CHECKPOINT_SCHEMA });
      await saver.setup();
      const { oldEnded, oldActive, fresh } = await seed(prisma);
      const all = [...oldEnded, ...oldActive, ...fresh];
      for (const threadId of all) {
        for (const n of [1, 2]) {
          await pool.query(`INSERT INTO ${CHECKPOINT_SCHEMA}.checkpoints (thread_id, checkpoint_id, checkpoint) VALUES ($1, $2, '{}')`, [threadId, `c${n}`]);
          await pool.query(`INSERT INTO ${CHECKPOINT_SCHEMA}.checkpoint_writes (thread_id, checkpoint_id, task_id, idx, channel, blob) VALUES ($1, $2, 't', 0, 'ch', '\\x00')`, [threadId, `c${n}`]);
        }
        await pool.query(`INSERT INTO ${CHECKPOINT_SCHEMA}.checkpoint_blobs (thread_id, channel, version, type) VALUES ($1, 'ch', '1', 'json')`, [threadId]);
      }

      // 2026-05-16 12:00 is the cut-off: its day (2026-05-16) and later stay.
      const { client, deletes } = recordingDeletes(prisma);
      const counts = await pruneExpired(client, { retentionDays: 30, batchSize: 2, now: NOW });
      expect(counts).toEqual({ runs: 4, metricSamples: 10, logEntries: 3, trackedErrors: 3, alerts: 3, alertDeliveries: 0, checkSamples: 0, historyDays: 6, checkpoints: 4 * 5 });

      // batches: no statement on the app's tables deleted more than 2 rows (checkpoints go by run batch)
      const own = deletes.filter((d) => !d.sql.includes(CHECKPOINT_SCHEMA));
      expect(Math.max(...own.map((d) => d.rows))).toBe(2);
      expect(own.filter((d) => d.sql.includes(`"LogEntry"`)).map((d) => d.rows)).toEqual([2, 1]);
      expect(own.filter((d) => d.sql.includes(`"HistoryDaily"`)).map((d) => d.rows)).toEqual([2, 2, 2, 0]);
      expect(own.filter((d) => d.sql.includes(`"TroubleshootingRun"`)).map((d) => d.rows)).toEqual([2, 2]);

      const runs = await prisma.troubleshootingRun.findMany({ select: { id: true } });
      expect(runs.map((r) => r.id).sort()).toEqual([...oldActive, ...fresh].sort());
      // the cascade took the old runs' events, issues and actions; the kept runs keep theirs
      const gone = { runId: { in: oldEnded } };
      expect([await prisma.runEvent.count({ where: gone }), await prisma.issue.count({ where: gone }), await prisma.fixAction.count({ where: gone })]).toEqual([0, 0, 0]);
      const kept = { runId: { in: [...oldActive, ...fresh] } };
      expect([await prisma.runEvent.count({ where: kept }), await prisma.issue.count({ where: kept }), await prisma.fixAction.count({ where: kept })]).toEqual([15, 5, 5]);
      // old active runs' samples are old and go; the runs themselves stay
      expect(await prisma.metricSample.findMany({ select: { name: true, runId: true }, orderBy: { id: "asc" } })).toEqual([
        { name: "run.sample", runId: fresh[0] },
        { name: "run.sample", runId: fresh[1] },
        { name: "free.sample", runId: null },
        { name: "free.sample", runId: null },
      ]);
      expect((await prisma.logEntry.findMany()).map((e) => e.msg)).toEqual(["new", "new"]);
      expect(await prisma.trackedError.count({ where: { at: { lt: NEW } } })).toBe(0);
      expect(await prisma.trackedError.count()).toBe(2);
      expect(await prisma.alert.count()).toBe(2);
      expect(await prisma.auditLog.count()).toBe(5); // the audit trail is never pruned
      const days = await prisma.historyDaily.findMany({ select: { day: true }, distinct: ["day"], orderBy: { day: "asc" } });
      expect(days.map((d) => d.day.toISOString().slice(0, 10))).toEqual(["2026-05-16", "2026-06-10"]);
      const threads = await pool.query<{ thread_id: string }>(
        `SELECT thread_id FROM troubleshooter_checkpoints.checkpoints UNION SELECT thread_id FROM troubleshooter_checkpoints.checkpoint_blobs UNION SELECT thread_id FROM troubleshooter_checkpoints.checkpoint_writes`,
      );
      expect(threads.rows.map((r) => r.thread_id).sort()).toEqual([...oldActive, ...fresh].sort());

      expect(await pruneExpired(prisma, { retentionDays: 30, batchSize: 2, now: NOW })).toEqual({
        runs: 0, metricSamples: 0, logEntries: 0, trackedErrors: 0, alerts: 0, alertDeliveries: 0, checkSamples: 0, historyDays: 0, checkpoints: 0,
      });
    } finally {
      await prisma.$disconnect();
      await pool.end();
    }
  });

  it("works without LangGraph's tables, and does nothing when RETENTION_DAYS is unset", async () => {
    const prisma = createPrismaClient(await createTestDatabase());
    try {
      const { oldActive, fresh } = await seed(prisma);
      expect(await pruneConfigured(prisma, { RETENTION_DAYS: undefined })).toBeNull();
      expect(await prisma.troubleshootingRun.count()).toBe(9);

      const counts = await pruneConfigured(prisma, { RETENTION_DAYS: 30 }, { now: NOW });
      expect(counts).toMatchObject({ runs: 4, checkpoints: 0, historyDays: 6 });
      expect(await prisma.troubleshootingRun.count()).toBe(oldActive.length + fresh.length);
      await expect(pruneExpired(prisma, { retentionDays: 0 })).rejects.toThrow(RangeError);
    } finally {
      await prisma.$disconnect();
    }
  });
});
