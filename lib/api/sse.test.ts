import { createParser } from "eventsource-parser";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase } from "../../scripts/test/databases";
import { closeEngine, createTestEngine, testTarget } from "../../scripts/test/engine";
import { type TargetServer, startTargetServer } from "../../scripts/test/target-server";
import type { Engine } from "../troubleshooting/engine";
import { createRun, executeRun } from "../troubleshooting/run-service";
import { runEventStream } from "./sse";

let engine: Engine;
let target: TargetServer;
let databaseUrl: string;
beforeAll(async () => {
  databaseUrl = await createTestDatabase();
  target = await startTargetServer({ delayMs: 150 });
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

  it("ends at once for a finished run when the client already has everything", async () => {
    const run = await engine.deps.prisma.troubleshootingRun.findFirstOrThrow({ where: { status: "completed" } });
    const events = await read(runEventStream(engine.deps.prisma, run.id, { afterSeq: run.eventSeq }));
    expect(events).toEqual([{ id: undefined, event: "end", data: JSON.stringify({ status: "completed" }) }]);
  });
});
