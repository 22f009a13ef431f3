// RunEvents: the run's append-only log, replayed to SSE clients. seq is allocated by bumping
// the run's eventSeq in the same statement that inserts the event, so parallel bots never collide
// or leave gaps. One statement, not an interactive transaction: it holds no pooled connection
// across round trips (parallel bots write many events at once), and is simple to repeat.
import type { PrismaClient } from "../../db";
import { retryOnConnectionError } from "./db-retry";
import type { Phase, RunEventType } from "../report";

export async function appendEvent(
  prisma: PrismaClient,
  runId: string,
  phase: Phase,
  type: RunEventType,
  payload: Record<string, unknown> = {},
): Promise<number> {
  const seq = await insertEvent(prisma, runId, phase, type, payload, false);
  if (seq === null) throw new Error(`no run ${runId} to add an event to`);
  return seq;
}

/** appendEvent, unless the run's cancellation was requested (or the run is gone): then nothing
 * is written, and null. The check is part of the statement: no cancel falls in between. */
export function appendEventUnlessCancelled(
  prisma: PrismaClient,
  runId: string,
  phase: Phase,
  type: RunEventType,
  payload: Record<string, unknown> = {},
): Promise<number | null> {
  return insertEvent(prisma, runId, phase, type, payload, true);
}

async function insertEvent(prisma: PrismaClient, runId: string, phase: Phase, type: RunEventType, payload: Record<string, unknown>, unlessCancelled: boolean): Promise<number | null> {
  // A statement cut off with its connection was rolled back (seq included), so it is safe to
  // repeat; at worst (the commit went through, its answer was lost) the event is stored twice,
  // still without a gap.
  const rows = await retryOnConnectionError(() => prisma.$queryRaw<{ seq: number }[]>`
    WITH bumped AS (
      UPDATE troubleshooter."TroubleshootingRun" SET "eventSeq" = "eventSeq" + 1, "heartbeatAt" = ${new Date()}
      WHERE id = ${runId} AND (NOT ${unlessCancelled} OR NOT "cancelRequested") RETURNING "eventSeq"
    )
    INSERT INTO troubleshooter."RunEvent" ("runId", seq, phase, type, payload)
    SELECT ${runId}, "eventSeq", ${phase}, ${type}, ${JSON.stringify(payload)}::jsonb FROM bumped
    RETURNING seq`);
  return rows[0]?.seq ?? null;
}
