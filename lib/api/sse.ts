// Server-Sent Events of a run, read from the RunEvent table: replays everything after the
// client's Last-Event-ID, then polls for new events until the run ends. Reading from the
// database (not memory) is what lets any server instance stream any run.
import type { PrismaClient } from "../db";

/** A run's last event is one of these; the stream ends once the client has it. */
const FINAL_EVENTS = new Set(["run_completed", "run_failed", "run_cancelled", "run_interrupted"]);

export interface StreamOptions {
  afterSeq: number;
  pollMs?: number;
  heartbeatMs?: number;
  signal?: AbortSignal;
}

export function runEventStream(prisma: PrismaClient, runId: string, options: StreamOptions): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  const { pollMs = 200, heartbeatMs = 15_000, signal } = options;
  let last = options.afterSeq;
  let cancelled = false;
  return new ReadableStream({
    cancel() {
      cancelled = true;
    },
    async start(controller) {
      const send = (text: string) => controller.enqueue(encoder.encode(text));
      send("retry: 2000\n\n");
      let lastWrite = Date.now();
      try {
        while (!signal?.aborted && !cancelled) {
          const events = await prisma.runEvent.findMany({ where: { runId, seq: { gt: last } }, orderBy: { seq: "asc" }, take: 500 });
          for (const e of events) {
            const data = { seq: e.seq, phase: e.phase, type: e.type, payload: e.payload, at: e.createdAt.toISOString() };
            send(`id: ${e.seq}\nevent: ${e.type}\ndata: ${JSON.stringify(data)}\n\n`);
            last = e.seq;
            lastWrite = Date.now();
          }
          if (events.length > 0) continue;
          const [run, newest] = await Promise.all([
            prisma.troubleshootingRun.findUnique({ where: { id: runId }, select: { status: true } }),
            prisma.runEvent.findFirst({ where: { runId }, orderBy: { seq: "desc" }, select: { seq: true, type: true } }),
          ]);
          if (!run || (newest && FINAL_EVENTS.has(newest.type) && newest.seq <= last)) {
            send(`event: end\ndata: ${JSON.stringify({ status: run?.status ?? "missing" })}\n\n`);
            break;
          }
          if (Date.now() - lastWrite >= heartbeatMs) {
            send(": keep-alive\n\n");
            lastWrite = Date.now();
          }
          await new Promise((resolve) => setTimeout(resolve, pollMs));
        }
      } catch {
        send(`event: error\ndata: ${JSON.stringify({ message: "event stream interrupted; reconnect to resume" })}\n\n`);
      }
      if (!cancelled) controller.close();
    },
  });
}

export const SSE_HEADERS = {
  "Content-Type": "text/event-stream; charset=utf-8",
  "Cache-Control": "no-cache, no-transform",
  Connection: "keep-alive",
  "X-Accel-Buffering": "no",
} as const;
