// The fleet's schedule end to end: real PostgreSQL (the store and pg-boss), the real engine, four
// loopback targets stored with a sealed database password, and two workers sharing
// FLEET_CONCURRENCY=2 (each with two fleet loops: only the shared slots keep it at two).
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createTestDatabase } from "../../fixtures/test/databases";
import { closeEngine, createTestEngine } from "../../fixtures/test/engine";
import { type TargetServer, startTargetServer } from "../../fixtures/test/target-server";
import { parseEnv } from "../env";
import { FLEET_QUEUE, type RunQueue, type RunWorker, openRunQueue, startRunWorker } from "../queue/run-queue";
import { createRun, targetKeyOf } from "../troubleshooting/runs/run-service";
import { finish } from "../troubleshooting/runs/run-status";
import type { Engine } from "../troubleshooting/workflow/engine";
import { openStoredTarget } from "./runtime";
import { tickFleet } from "./schedule";
import { cronFleet } from "./schedule-cron";
import { sealTargetSecrets } from "./secrets";

const SECRET = "f".repeat(40);
const MINUTE = 60_000;
let databaseUrl: string;
let engine: Engine;
let queue: RunQueue;
let workers: RunWorker[] = [];
let servers: TargetServer[] = [];

/** The test database's URL without its password, and the password (what the store keeps apart). */
function split(url: string): { url: string; password: string } {
  const parsed = new URL(url);
  const password = decodeURIComponent(parsed.password);
  parsed.password = "";
  return { url: parsed.toString(), password };
}

async function storeTarget(name: string, baseUrl: string, nextRunAt: Date | null) {
  const { url, password } = split(databaseUrl);
  return engine.deps.prisma.target.create({
    data: {
      name, baseUrl, databaseUrl: url, sealedSecrets: sealTargetSecrets({ databasePassword: password }, SECRET),
      pages: ["/"], endpoints: [], scheduleMinutes: 60, nextRunAt, targetKey: targetKeyOf({ baseUrl, databaseUrl: url }),
    },
  });
}

async function until<T>(probe: () => Promise<T | null | undefined | false>, what: string, timeoutMs = 120_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

beforeAll(async () => {
  databaseUrl = await createTestDatabase();
  vi.stubEnv("LOG_LEVEL", "warn");
  // Each page takes 300 ms: runs last long enough to overlap if nothing held them apart.
  servers = await Promise.all([0, 1, 2, 3].map(() => startTargetServer({ delayMs: 300 })));
  engine = await createTestEngine(databaseUrl);
  queue = await openRunQueue(parseEnv({ DATABASE_URL: databaseUrl, AUTH_SECRET: SECRET, TARGET_ENDPOINTS_PRESET: "none", FLEET_CONCURRENCY: "2" }));
});

afterAll(async () => {
  await Promise.all(workers.map((w) => w.stop({ graceMs: 5_000 })));
  await queue?.close();
  if (engine) await closeEngine(engine);
  await Promise.all(servers.map((s) => s.close()));
  vi.unstubAllEnvs();
});

describe("fleet schedule", () => {
  const now = new Date();

  it("a tick claims each due target once (two ticks at once included), enqueues it by name, and moves nextRunAt past now without piling up missed slots", async () => {
    const { prisma } = engine.deps;
    // fleet-0 was due 150 minutes ago (two slots missed); the others were never run (NULL: due now).
    await storeTarget("fleet-0", servers[0]!.url, new Date(now.getTime() - 150 * MINUTE));
    for (let i = 1; i < 4; i++) await storeTarget(`fleet-${i}`, servers[i]!.url, null);
    await storeTarget("not-due", "http://127.0.0.1:9", new Date(now.getTime() + 5 * MINUTE));
    await prisma.target.create({ data: { name: "unscheduled", baseUrl: "http://127.0.0.1:8", databaseUrl: "postgresql://u@127.0.0.1:1/x", targetKey: "unscheduled" } });

    const [a, b] = await Promise.all([tickFleet(queue, { now }), tickFleet(queue, { now })]);
    const claimed = [...a.claimed, ...b.claimed];
    expect(claimed.map((c) => c.name).sort()).toEqual(["fleet-0", "fleet-1", "fleet-2", "fleet-3"]);
    expect(claimed.every((c) => c.jobId)).toBe(true);

    const rows = await prisma.target.findMany({ where: { name: { startsWith: "fleet-" } }, orderBy: { name: "asc" }, select: { name: true, nextRunAt: true } });
    // Due at now-150 min, every 60 min: the slots at now-90 and now-30 are skipped; next is now+30.
    expect(rows[0]!.nextRunAt!.getTime()).toBe(now.getTime() + 30 * MINUTE);
    for (const row of rows.slice(1)) expect(row.nextRunAt!.getTime()).toBe(now.getTime() + 60 * MINUTE);

    // A second tick before any job ran: nothing is due, nothing new is queued.
    expect((await tickFleet(queue, { now: new Date(now.getTime() + 1_000) })).claimed).toEqual([]);
    // Even with a target due again while its job still waits, it never has two jobs waiting.
    await prisma.target.update({ where: { name: "fleet-1" }, data: { nextRunAt: null } });
    expect((await tickFleet(queue, { now })).claimed).toEqual([expect.objectContaining({ name: "fleet-1", jobId: null })]);
    expect(await queue.boss.getQueueSize(FLEET_QUEUE)).toBe(4);

    // The jobs name their target and carry none of its secrets.
    const job = await queue.boss.getJobById<unknown>(FLEET_QUEUE, claimed[0]!.jobId!);
    expect(job?.data).toEqual({ target: claimed[0]!.name, trigger: "cron" });
    expect(JSON.stringify(job)).not.toContain(split(databaseUrl).password);
  });

  it("refuses to enqueue an unknown name, naming it; a target deleted after it was queued is dropped", async () => {
    await expect(queue.enqueue({ target: "no-such-target", trigger: "cli" })).rejects.toThrow('no target named "no-such-target"');
    const gone = await storeTarget("gone", "http://127.0.0.1:7", null);
    const [claimed] = (await tickFleet(queue, { now })).claimed;
    expect(claimed).toMatchObject({ name: "gone", jobId: expect.any(String) });
    await engine.deps.prisma.target.delete({ where: { id: gone.id } });
    (globalThis as { goneJob?: string }).goneJob = claimed!.jobId!;
  });

  it("two workers run every due target once, never more than FLEET_CONCURRENCY=2 at the same time, recording targetId", { timeout: 240_000 }, async () => {
    const { prisma } = engine.deps;
    workers = await Promise.all([0, 1].map(() => startRunWorker(queue, engine, { concurrency: 1, fleetConcurrency: 2, pollingIntervalSeconds: 0.5, browser: false })));
    const stored = await prisma.target.findMany({ where: { name: { startsWith: "fleet-" } }, select: { id: true, name: true, targetKey: true } });
    const runs = await until(async () => {
      const rows = await prisma.troubleshootingRun.findMany({ where: { targetId: { in: stored.map((s) => s.id) } }, select: { targetId: true, targetKey: true, trigger: true, status: true, target: true, startedAt: true, finishedAt: true } });
      return rows.length >= 4 && rows.every((r) => r.finishedAt) ? rows : null;
    }, "the four scheduled runs to end");

    for (const target of stored) {
      const own = runs.filter((r) => r.targetId === target.id);
      expect(own, target.name).toHaveLength(1);
      expect(own[0]).toMatchObject({ trigger: "cron", targetKey: target.targetKey });
    }
    // The most runs in progress at any one instant, from the runs' own timestamps.
    const edges = runs.flatMap((r) => [{ at: r.startedAt.getTime(), step: 1 }, { at: r.finishedAt!.getTime(), step: -1 }]).sort((x, y) => x.at - y.at || x.step - y.step);
    let current = 0;
    let most = 0;
    for (const edge of edges) most = Math.max(most, (current += edge.step));
    // At most two, not four: each worker had two fleet loops, only the shared slots hold them to
    // two. (Whether two do overlap depends on the machine's pace, so the test does not demand it.)
    expect(most).toBeGreaterThanOrEqual(1);
    expect(most).toBeLessThanOrEqual(2);
    expect(JSON.stringify(runs)).not.toContain(split(databaseUrl).password);

    const goneJob = await until(async () => {
      const found = await queue.boss.getJobById<unknown>(FLEET_QUEUE, (globalThis as { goneJob?: string }).goneJob!, { includeArchive: true });
      return found?.state === "completed" ? found : null;
    }, "the deleted target's job to complete", 30_000);
    expect(goneJob.output).toEqual({ dropped: "unknown_target", target: "gone" });
  });

  it("a due target with an active run is skipped (the job completes as skipped), and its nextRunAt still moves on", { timeout: 60_000 }, async () => {
    const { prisma } = engine.deps;
    const row = await prisma.target.findUniqueOrThrow({ where: { name: "fleet-2" } });
    const { runId: blocking } = await createRun(engine, { trigger: "api", targetId: row.id }, { ...openStoredTarget(row, SECRET).target, browser: false });
    try {
      await prisma.target.update({ where: { id: row.id }, data: { nextRunAt: new Date(Date.now() - MINUTE) } });
      const [claimed] = (await tickFleet(queue)).claimed;
      expect(claimed).toMatchObject({ name: "fleet-2", jobId: expect.any(String) });
      expect((await prisma.target.findUniqueOrThrow({ where: { id: row.id } })).nextRunAt!.getTime()).toBeGreaterThan(Date.now());
      const job = await until(async () => {
        const found = await queue.boss.getJobById<unknown>(FLEET_QUEUE, claimed!.jobId!, { includeArchive: true });
        return found?.state === "completed" ? found : null;
      }, "the job to complete", 30_000);
      expect(job.output).toEqual({ skipped: "run_in_progress", runId: blocking });
      expect(await prisma.troubleshootingRun.count({ where: { targetId: row.id } })).toBe(2);
    } finally {
      await finish(prisma, blocking, "cancelled", "test");
    }
  });

  it("the cron route's part: it queues the due targets by name and runs one fleet job itself (here skipped: its target is busy)", { timeout: 60_000 }, async () => {
    const { prisma } = engine.deps;
    await Promise.all(workers.map((w) => w.stop({ graceMs: 5_000 })));
    workers = [];
    const row = await prisma.target.findUniqueOrThrow({ where: { name: "fleet-3" } });
    const { runId: blocking } = await createRun(engine, { trigger: "api", targetId: row.id }, { ...openStoredTarget(row, SECRET).target, browser: false });
    try {
      await prisma.target.update({ where: { id: row.id }, data: { nextRunAt: null } });
      const fleet = await cronFleet(prisma, queue.config, async () => engine);
      expect(fleet.queued).toEqual(["fleet-3"]);
      await fleet.drain();
      const { rows } = await queue.boss.getDb().executeSql(
        `SELECT state, output FROM troubleshooter_queue.job WHERE name = $1 AND data->>'target' = 'fleet-3' ORDER BY created_on DESC LIMIT 1`,
        [FLEET_QUEUE],
      );
      expect(rows).toEqual([{ state: "completed", output: { skipped: "run_in_progress", runId: blocking } }]);
      expect(await prisma.troubleshootingRun.count({ where: { targetId: row.id } })).toBe(2); // the scheduled one, and the blocking one
    } finally {
      await finish(prisma, blocking, "cancelled", "test");
    }
  });
});
