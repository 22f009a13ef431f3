import { createParser } from "eventsource-parser";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase } from "../../fixtures/test/databases";
import { closeEngine, createTestEngine, testTarget } from "../../fixtures/test/engine";
import { type TargetServer, startTargetServer } from "../../fixtures/test/target-server";
import type { Engine } from "../troubleshooting/workflow/engine";
import { isActiveRun } from "../troubleshooting/report";
import { createRun, executeRun } from "../troubleshooting/runs/run-service";
import { runEventStream } from "./sse";

let engine: Engine;
let target: TargetServer;
let databaseUrl: string;
beforeAll(async () => {
  databaseUrl = await createTestDatabase();
  // A slow target keeps runs going for a few seconds, so the streams follow them live.
  target = await startTargetServer({ delayMs: 400 });
  engine = await createTestEngine(databaseUrl);
});
afterAll(async () => {
  await closeEngine(engine);
  await target.close();
});

interface Received {
  id?: string;
  event?: string;
  data: string;
}

/** Reads the stream until `stopAfter` events arrived (then disconnects) or it ends. */
async function read(stream: ReadableStream<Uint8Array>, stopAfter = Infinity): Promise<Received[]> {
  const received: Received[] = [];
  const parser = createParser({ onEvent: (e) => received.push({ id: e.id, event: e.event, data: e.data }) });
  const reader = stream.getReader();
  const decoder = new TextDecoder();
  while (received.filter((e) => e.id).length < stopAfter) {
    const { done, value } = await reader.read();
    if (done) break;
    parser.feed(decoder.decode(value, { stream: true }));
  }
  await reader.cancel();
  return received;
}

describe("run event stream (SSE from the RunEvent table)", () => {
  it("replays after a reconnect with Last-Event-ID: no event lost, none repeated, ids in order", async () => {
    const { runId, config } = await createRun(engine, { trigger: "api" }, testTarget(target.url, databaseUrl));
    const running = executeRun(engine, runId, config);

    const first = new AbortController();
    const before = await read(runEventStream(engine.deps.prisma, runId, { afterSeq: 0, pollMs: 50, signal: first.signal }), 5);
    first.abort();
    const lastId = Number(before.filter((e) => e.id).at(-1)?.id);
    expect(lastId).toBe(5);

    const after = await read(runEventStream(engine.deps.prisma, runId, { afterSeq: lastId, pollMs: 50 }));
    await running;

    const ids = [...before, ...after].filter((e) => e.id).map((e) => Number(e.id));
    const stored = await engine.deps.prisma.runEvent.findMany({ where: { runId }, orderBy: { seq: "asc" }, select: { seq: true, type: true } });
    expect(ids).toEqual(stored.map((e) => e.seq));
    expect(new Set(ids).size).toBe(ids.length);
    expect(after.at(-1)).toMatchObject({ event: "end", data: JSON.stringify({ status: "completed" }) });
    const lastData = JSON.parse(after.filter((e) => e.id).at(-1)?.data ?? "{}") as { type: string };
    expect(lastData.type).toBe("run_completed");
  });

  it("gives 50 concurrent subscribers of a live run every event once, in order, as stored", async () => {
    const { prisma } = engine.deps;
    const { runId, config } = await createRun(engine, { trigger: "api" }, testTarget(target.url, databaseUrl));
    const running = executeRun(engine, runId, config);
    const streams = Array.from({ length: 50 }, () => read(runEventStream(prisma, runId, { afterSeq: 0 })));
    // All subscribed while the run was still going: what follows is live delivery, not a replay.
    const atSubscription = await prisma.troubleshootingRun.findUniqueOrThrow({ where: { id: runId }, select: { status: true, eventSeq: true } });
    expect(isActiveRun(atSubscription.status)).toBe(true);

    const [received] = await Promise.all([Promise.all(streams), running]);
    const stored = await prisma.runEvent.findMany({ where: { runId }, orderBy: { seq: "asc" } });
    expect(stored.at(-1)?.type).toBe("run_completed");
    expect(stored.length).toBeGreaterThan(atSubscription.eventSeq); // events were written after they subscribed
    const expected = stored.map((e) => ({
      id: String(e.seq),
      event: e.type,
      data: { seq: e.seq, phase: e.phase, type: e.type, payload: e.payload, at: e.createdAt.toISOString() },
    }));
    for (const [index, events] of received.entries()) {
      const withId = events.filter((e) => e.id !== undefined).map((e) => ({ id: e.id, event: e.event, data: JSON.parse(e.data) as unknown }));
      expect(withId, `subscriber ${index}`).toEqual(expected);
      expect(events.at(-1), `subscriber ${index}`).toMatchObject({ event: "end", data: JSON.stringify({ status: "completed" }) });
    }
  });

  it("ends at once for a finished run when the client already has everything", async () => {
    const run = await engine.deps.prisma.troubleshootingRun.findFirstOrThrow({ where: { status: "completed" } });
    const events = await read(runEventStream(engine.deps.prisma, run.id, { afterSeq: run.eventSeq }));
    expect(events).toEqual([{ id: undefined, event: "end", data: JSON.stringify({ status: "completed" }) }]);
  });
});
