import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase } from "../../../fixtures/test/databases";
import { closeEngine, createTestEngine, testTarget } from "../../../fixtures/test/engine";
import type { Engine } from "../workflow/engine";
import { appendEvent, appendEventUnlessCancelled } from "./events";
import { createRun } from "./run-service";

let engine: Engine;
let databaseUrl: string;
beforeAll(async () => {
  databaseUrl = await createTestDatabase();
  engine = await createTestEngine(databaseUrl);
});
afterAll(() => closeEngine(engine));

const WRITERS = 40; // more than the Prisma pool's 10 connections

describe("run events", () => {
  it("are appended by many writers at once while the run row is busy: all of them, no gaps, in seq order", async () => {
    const { prisma } = engine.deps;
    const { runId } = await createRun(engine, { trigger: "api" }, testTarget("http://127.0.0.1:9", databaseUrl)); // seq 1: run_queued
    // Another session holds the run row for longer than Prisma waits to start a transaction (2 s),
    // as a slow write of the run (its report, under load) does.
    const holder = new pg.Client({ connectionString: databaseUrl });
    await holder.connect();
    await holder.query("BEGIN");
    await holder.query(`SELECT 1 FROM troubleshooter."TroubleshootingRun" WHERE id = $1 FOR UPDATE`, [runId]);
    const writes = Array.from({ length: WRITERS }, (_, i) => appendEvent(prisma, runId, "diagnostics", "check_completed", { i }));
    const settled = Promise.allSettled(writes);
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    await holder.query("COMMIT");
    await holder.end();

    const results = await settled;
    expect(results.filter((r) => r.status === "rejected")).toEqual([]);
    const seqs = results.map((r) => (r.status === "fulfilled" ? r.value : 0));
    expect([...seqs].sort((a, b) => a - b)).toEqual(Array.from({ length: WRITERS }, (_, i) => i + 2));
    const stored = await prisma.runEvent.findMany({ where: { runId }, orderBy: { seq: "asc" } });
    expect(stored.map((e) => e.seq)).toEqual(Array.from({ length: WRITERS + 1 }, (_, i) => i + 1));
    // Each writer got the seq its own event was stored under.
    for (const [i, seq] of seqs.entries()) expect(stored.find((e) => e.seq === seq)?.payload).toEqual({ i });
    // Inserted in seq order (ids are allocated at insert time).
    for (let i = 1; i < stored.length; i++) expect((stored[i] as { id: bigint }).id).toBeGreaterThan((stored[i - 1] as { id: bigint }).id);
    const run = await prisma.troubleshootingRun.findUniqueOrThrow({ where: { id: runId }, select: { eventSeq: true, heartbeatAt: true } });
    expect(run.eventSeq).toBe(WRITERS + 1);
    // Times are stored as UTC, as Prisma writes them (not shifted by the session's time zone).
    for (const at of [run.heartbeatAt, (stored.at(-1) as { createdAt: Date }).createdAt]) expect(Math.abs(at.getTime() - Date.now())).toBeLessThan(60_000);
  });

  it("refuses an event for a run that does not exist", async () => {
    await expect(appendEvent(engine.deps.prisma, "no-such-run", "diagnostics", "check_completed")).rejects.toThrow(/no run no-such-run/);
  });

  it("are not appended by appendEventUnlessCancelled once the run's cancellation is requested (null, seq unchanged); appendEvent still appends", async () => {
    const { prisma } = engine.deps;
    const { runId } = await createRun(engine, { trigger: "api" }, testTarget("http://127.0.0.1:10", databaseUrl)); // seq 1 (a target of its own)
    expect(await appendEventUnlessCancelled(prisma, runId, "system_assessment", "phase_started", { phase: "system_assessment" })).toBe(2);
    await prisma.troubleshootingRun.update({ where: { id: runId }, data: { cancelRequested: true } });
    expect(await appendEventUnlessCancelled(prisma, runId, "diagnostics", "phase_started", { phase: "diagnostics" })).toBeNull();
    expect((await prisma.runEvent.findMany({ where: { runId }, orderBy: { seq: "asc" } })).map((e) => e.type)).toEqual(["run_queued", "phase_started"]);
    expect((await prisma.troubleshootingRun.findUniqueOrThrow({ where: { id: runId } })).eventSeq).toBe(2);
    // The run's own end is still written (appendEvent does not look at the request).
    expect(await appendEvent(prisma, runId, "diagnostics", "run_cancelled", { reason: "test" })).toBe(3);
  });
});
