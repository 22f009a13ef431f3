// Load: 50 SSE subscribers on one live run, each through the function the events route serves
// (the route adds only the admin guard and the run lookup). Every subscriber must see exactly
// the run's RunEvent rows: each once, in seq order, ending with the run's final event.
import { type EventSourceMessage, createParser } from "eventsource-parser";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase } from "../../scripts/test/databases";
import { closeEngine, createTestEngine, testTarget } from "../../scripts/test/engine";
import { type TargetServer, startTargetServer } from "../../scripts/test/target-server";
import type { Engine } from "../troubleshooting/engine";
import { isActiveRun } from "../troubleshooting/report";
import { createRun, executeRun } from "../troubleshooting/run-service";
import { runEventStream } from "./sse";

const SUBSCRIBERS = 50;

let engine: Engine;
let target: TargetServer;
let databaseUrl: string;
beforeAll(async () => {
  databaseUrl = await createTestDatabase();
  // A slow target keeps the run going for a few seconds, so the streams follow it live.
  target = await startTargetServer({ delayMs: 400 });
  engine = await createTestEngine(databaseUrl);
});
afterAll(async () => {
  await closeEngine(engine);
  await target.close();
});

/** Reads one stream to its end, as a browser's EventSource would parse it. */
async function readAll(stream: ReadableStream<Uint8Array>): Promise<EventSourceMessage[]> {
  const received: EventSourceMessage[] = [];
  const parser = createParser({ onEvent: (event) => received.push(event) });
  const decoder = new TextDecoder();
  const reader = stream.getReader();
  for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) parser.feed(decoder.decode(chunk.value, { stream: true }));
  return received;
}

describe("run event stream under load", () => {
  it(`gives ${SUBSCRIBERS} concurrent subscribers of a live run every event once, in order, as stored`, async () => {
    const { prisma } = engine.deps;
    const { runId, config } = await createRun(engine, { trigger: "api" }, testTarget(target.url, databaseUrl));
    const running = executeRun(engine, runId, config);
    const streams = Array.from({ length: SUBSCRIBERS }, () => readAll(runEventStream(prisma, runId, { afterSeq: 0 })));
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
});
