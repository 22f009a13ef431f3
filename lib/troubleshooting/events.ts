// RunEvents: the run's append-only log, replayed to SSE clients. seq is allocated by bumping
// the run's eventSeq in the same transaction, so parallel bots never collide or leave gaps.
import type { PrismaClient } from "../db";
import type { Prisma } from "../generated/prisma/client";
import type { Phase, RunEventType } from "./report";

export async function appendEvent(
  prisma: PrismaClient,
  runId: string,
  phase: Phase,
  type: RunEventType,
  payload: Record<string, unknown> = {},
): Promise<number> {
  return prisma.$transaction(async (tx) => {
    const run = await tx.troubleshootingRun.update({
      where: { id: runId },
      data: { eventSeq: { increment: 1 }, heartbeatAt: new Date() },
      select: { eventSeq: true },
    });
    await tx.runEvent.create({ data: { runId, seq: run.eventSeq, phase, type, payload: payload as Prisma.InputJsonObject } });
    return run.eventSeq;
  });
}
