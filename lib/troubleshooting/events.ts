// RunEvents: the run's append-only log, replayed to SSE clients. seq is allocated by bumping the
// run's eventSeq in the same statement as the insert: parallel bots never collide or leave gaps,
// and (the run row being locked until the statement commits) seq order is commit order. One
// statement, not an interactive transaction, so dozens of checks finishing at once do not queue
// for pool connections held across round trips.
import type { PrismaClient } from "../db";
import type { Phase, RunEventType } from "./report";

export async function appendEvent(
  prisma: PrismaClient,
  runId: string,
  phase: Phase,
  type: RunEventType,
  payload: Record<string, unknown> = {},
): Promise<number> {
  const [row] = await prisma.$queryRaw<{ seq: number }[]>`
    WITH bumped AS (
      UPDATE "TroubleshootingRun" SET "eventSeq" = "eventSeq" + 1, "heartbeatAt" = now() WHERE id = ${runId} RETURNING "eventSeq"
    )
    INSERT INTO "RunEvent" ("runId", seq, phase, type, payload)
    SELECT ${runId}, "eventSeq", ${phase}, ${type}, ${JSON.stringify(payload)}::jsonb FROM bumped
    RETURNING seq`;
  if (!row) throw new Error(`run ${runId} does not exist`);
  return row.seq;
}
