// Helpers for the fault tests: follow a run's stored events and checkpoint, and a PostgreSQL
// server of its own that can be restarted (stopped and started again on the same data) under a run.
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { PrismaClient } from "../../lib/db";
import { freePort, startEmbeddedPostgres } from "../lib/embedded-postgres";

export interface StoredEvent {
  seq: number;
  type: string;
  phase: string;
  payload: unknown;
}

export async function eventsOf(prisma: PrismaClient, runId: string): Promise<StoredEvent[]> {
  return prisma.runEvent.findMany({ where: { runId }, orderBy: { seq: "asc" }, select: { seq: true, type: true, phase: true, payload: true } });
}

/** Resolves once the run has stored an event that `match` accepts (polled, as the SSE route does). */
export async function waitForEvent(prisma: PrismaClient, runId: string, match: (event: StoredEvent) => boolean, timeoutMs = 30_000): Promise<StoredEvent> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = (await eventsOf(prisma, runId)).find(match);
    if (found) return found;
    if (Date.now() > deadline) throw new Error(`run ${runId}: no matching event within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

type Query = (sql: string, params: unknown[]) => Promise<{ n: number }[]>;

/** Whether the checkpointer has saved the result of `node` in the run's thread (a diagnose node's
 * writes include its name on the join channel into prioritize). A node's own events are stored
 * before it returns, its checkpoint write just after: a kill in between runs it again. */
export async function checkpointWritten(query: Query, runId: string, node: string): Promise<boolean> {
  const [row] = await query(
    `SELECT count(*)::int AS n FROM langgraph.checkpoint_writes WHERE thread_id = $1 AND channel LIKE 'join:%' AND convert_from(blob, 'UTF8') = $2`,
    [runId, JSON.stringify(node)],
  );
  return (row?.n ?? 0) > 0;
}

/** 1..n: the seqs a run's log must have, with no gap and no duplicate. */
export const contiguous = (events: StoredEvent[]) => events.map((_, i) => i + 1);

export interface RestartablePostgres {
  url: string;
  restart(downMs?: number): Promise<void>;
  stop(): Promise<void>;
}

/** A second PostgreSQL server (the target's), kept on disk across restarts, removed at stop. */
export async function startRestartablePostgres(): Promise<RestartablePostgres> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "troubleshooter-target-pg-"));
  const options = { dataDir: path.join(dir, "pg"), port: await freePort(), password: "target-password", database: "shop", persistent: true };
  let server = await startEmbeddedPostgres(options);
  return {
    url: server.url,
    async restart(downMs = 0) {
      await server.stop();
      await new Promise((r) => setTimeout(r, downMs));
      server = await startEmbeddedPostgres(options);
    },
    async stop() {
      await server.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
