// RunEvents: the run's append-only log, replayed to SSE clients. seq is allocated by bumping
// the run's eventSeq in the same statement that inserts the event, so parallel bots never
// collide or leave gaps, and events become visible in seq order (the run row stays locked until
// the statement commits).
//
// One statement, not an interactive transaction: three bots finishing checks at once queue on
// the run row, and each interactive transaction held a pooled connection while it waited. Under
// load the queue outgrew Prisma's 2 s wait to start a transaction (P2028), the check's event
// could not be written, and the whole bot was reported failed (found by the bench).
import type { PrismaClient } from "../db";
import type { Phase, RunEventType } from "./report";

export async function appendEvent(
  prisma: PrismaClient,
  runId: string,
  phase: Phase,
  type: RunEventType,
  payload: Record<string, unknown> = {},
): Promise<number> {
  const now = new Date();
  const rows = await prisma.$queryRaw<{ seq: number }[]>`
    WITH run AS (
      UPDATE "TroubleshootingRun" SET "eventSeq" = "eventSeq" + 1, "heartbeatAt" = ${now}
       WHERE id = ${runId} RETURNING "eventSeq")
    INSERT INTO "RunEvent" ("runId", seq, phase, type, payload, "createdAt")
    SELECT ${runId}, "eventSeq", ${phase}, ${type}, ${JSON.stringify(payload)}::jsonb, ${now} FROM run
    RETURNING seq`;
  const seq = rows[0]?.seq;
  if (seq === undefined) throw new Error(`no run ${runId} to append a ${type} event to`);
  return seq;
}
