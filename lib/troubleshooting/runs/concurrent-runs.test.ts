// Load: one engine (one process) running 5 troubleshooting runs at once on 5 targets, each its
// own site and database (so its own targetKey), batch after batch; and what stays on the heap.
import v8 from "node:v8";
import vm from "node:vm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase } from "../../../fixtures/test/databases";
import { closeEngine, createTestEngine, testTarget } from "../../../fixtures/test/engine";
import { type TargetServer, startTargetServer } from "../../../fixtures/test/target-server";
import type { Engine } from "../workflow/engine";
import { buildReport } from "../queries/report";
import { createRun, executeRun } from "./run-service";

// A forced collection, so that heap figures show what is retained, not what is not yet collected.
v8.setFlagsFromString("--expose-gc");
const gc = vm.runInNewContext("gc") as () => void;
const MB = 1024 * 1024;

const RUNS = 5;
let engine: Engine;
let targets: { server: TargetServer; databaseUrl: string }[];

beforeAll(async () => {
  engine = await createTestEngine(await createTestDatabase());
  targets = await Promise.all(
    Array.from({ length: RUNS }, async () => ({ server: await startTargetServer({ delayMs: 100 }), databaseUrl: await createTestDatabase({ migrate: false }) })),
  );
});
afterAll(async () => {
  await closeEngine(engine);
  await Promise.all(targets.map((t) => t.server.close()));
});

/** Starts a run on every target at once and waits for all of them. */
async function batch(): Promise<string[]> {
  const requestsBefore = targets.map((t) => t.server.requests);
  const started = await Promise.all(targets.map((t) => createRun(engine, { trigger: "api" }, testTarget(t.server.url, t.databaseUrl))));
  await Promise.all(started.map(({ runId, config }) => executeRun(engine, runId, config)));
  const reports = await Promise.all(started.map(({ runId }) => buildReport(engine.deps.prisma, runId)));
  for (const [i, report] of reports.entries()) {
    expect(report?.status, `run on target ${i}: ${report?.statusReason ?? ""}`).toBe("completed");
    expect(report?.target.baseUrl).toBe(targets[i]?.server.url);
    expect(targets[i]?.server.requests).toBeGreaterThan(requestsBefore[i] ?? 0); // each probed its own site
  }
  return started.map((s) => s.runId);
}

function heap(label: string): number {
  const raw = process.memoryUsage().heapUsed;
  gc();
  const retained = process.memoryUsage().heapUsed;
  console.info(`${label}: heapUsed ${(raw / MB).toFixed(1)} MB, after a forced GC ${(retained / MB).toFixed(1)} MB`);
  return retained;
}

describe("concurrent runs in one process", () => {
  it(`completes ${RUNS} runs on ${RUNS} targets at once, batch after batch, without keeping them on the heap`, async () => {
    const start = heap("before");
    const first = await batch();
    const afterFirst = heap("after batch 1");
    const second = await batch();
    const afterSecond = heap("after batch 2");
    const third = await batch();
    const afterThird = heap("after batch 3");
    expect(new Set([...first, ...second, ...third]).size).toBe(3 * RUNS);

    // Batch 1 warms the process up (modules, compiled queries, connection pools); later batches
    // should retain next to nothing. A leak of a run's state (its issues, checks, report, event
    // listeners) repeats in every batch.
    const growth = [afterFirst - start, afterSecond - afterFirst, afterThird - afterSecond];
    console.info(`retained per batch: ${growth.map((g) => (g / MB).toFixed(1)).join(", ")} MB`);
    expect(afterSecond - afterFirst).toBeLessThanOrEqual(2 * Math.max(afterFirst - start, 0) + 4 * MB);
    expect(afterThird - afterFirst).toBeLessThan(8 * MB);
  });
});
