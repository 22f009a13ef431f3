// The run queue end to end: real Postgres (pg-boss in schema "pgboss"), the real engine, two
// loopback targets, one worker with concurrency 2.
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createTestDatabase } from "../../fixtures/test/databases";
import { closeEngine, createTestEngine, testTarget } from "../../fixtures/test/engine";
import { type TargetServer, startTargetServer } from "../../fixtures/test/target-server";
import type { Engine } from "../troubleshooting/workflow/engine";
import { createRun } from "../troubleshooting/runs/run-service";
import { finish } from "../troubleshooting/runs/run-status";
import { parseEnv } from "../env";
import { RUN_QUEUE, type RunQueue, type RunWorker, openRunQueue, startRunWorker } from "./run-queue";

let databaseUrl: string;
let engine: Engine;
let queue: RunQueue;
let worker: RunWorker | undefined;
let first: TargetServer;
let second: TargetServer;

beforeAll(async () => {
  databaseUrl = await createTestDatabase();
  // The logger reads the environment.
  vi.stubEnv("LOG_LEVEL", "warn");
  [first, second] = await Promise.all([startTargetServer(), startTargetServer()]);
  engine = await createTestEngine(databaseUrl);
  queue = await openRunQueue(parseEnv({ DATABASE_URL: databaseUrl, AUTH_SECRET: "q".repeat(40), TARGET_ENDPOINTS_PRESET: "none" }));
});

afterAll(async () => {
  await worker?.stop({ graceMs: 5_000 });
  await queue?.close();
  if (engine) await closeEngine(engine);
  await Promise.all([first?.close(), second?.close()]);
  vi.unstubAllEnvs();
});

async function until<T>(probe: () => Promise<T | null | undefined | false>, what: string, timeoutMs = 90_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

describe("run queue", () => {
  it("runs one queued job per target, two targets at once, and refuses a duplicate", { timeout: 120_000 }, async () => {
    const jobA = await queue.enqueue({ target: { baseUrl: first.url, databaseUrl, endpoints: [], browser: false }, trigger: "api", initialIssue: "slow pages" });
    const duplicate = await queue.enqueue({ target: { baseUrl: `${first.url}/other`, databaseUrl, browser: false }, trigger: "api" });
    const jobB = await queue.enqueue({ target: { baseUrl: second.url, databaseUrl, endpoints: [], browser: false }, trigger: "cron" });
    expect(jobA).toEqual(expect.any(String));
    expect(jobB).toEqual(expect.any(String));
    expect(duplicate).toBeNull();
    await expect(queue.enqueue({ target: { baseUrl: "ftp://x" }, trigger: "api" } as never)).rejects.toThrow(/target\.baseUrl/);

    worker = await startRunWorker(queue, engine, { concurrency: 2, pollingIntervalSeconds: 0.5 });
    const { prisma } = engine.deps;
    const runs = await until(async () => {
      const rows = await prisma.troubleshootingRun.findMany({ select: { id: true, status: true, trigger: true, initialIssue: true, target: true, startedAt: true, finishedAt: true } });
      return rows.length >= 2 && rows.every((r) => r.finishedAt) ? rows : null;
    }, "both runs to end");

    expect(runs).toHaveLength(2);
    const byTarget = (url: string) => runs.filter((r) => (r.target as { baseUrl: string }).baseUrl === url);
    expect(byTarget(first.url)).toHaveLength(1);
    expect(byTarget(second.url)).toHaveLength(1);
    expect(byTarget(first.url)[0]).toMatchObject({ status: "completed", trigger: "api", initialIssue: "slow pages" });
    expect(byTarget(second.url)[0]).toMatchObject({ status: "completed", trigger: "cron" });
    // Concurrency 2: the second run started before the first ended.
    const [a, b] = [...runs].sort((x, y) => x.startedAt.getTime() - y.startedAt.getTime());
    expect(b!.startedAt.getTime()).toBeLessThan(a!.finishedAt!.getTime());

    const jobs = await until(async () => {
      const found = await Promise.all([jobA!, jobB!].map((id) => queue.boss.getJobById<unknown>(RUN_QUEUE, id, { includeArchive: true })));
      return found.every((j) => j?.state === "completed") ? found : null;
    }, "both jobs to complete", 10_000);
    expect(jobs.map((j) => (j!.output as { runId: string }).runId).sort()).toEqual(runs.map((r) => r.id).sort());
    // The database password is in the queue's tables only sealed, and the runs still reached the database.
    const password = new URL(databaseUrl).password;
    expect(password).not.toBe("");
    for (const j of jobs) {
      expect(JSON.stringify(j!.data)).not.toContain(password);
      expect((j!.data as { target: { databasePassword?: string } }).target.databasePassword).toEqual(expect.any(String));
    }
  });

  it("fails an invalid job with the validation message and starts no run", async () => {
    expect(worker).toBeDefined();
    const before = await engine.deps.prisma.troubleshootingRun.count();
    const id = await queue.boss.send(RUN_QUEUE, { target: { baseUrl: "not a url" }, trigger: "whenever" });
    expect(id).toEqual(expect.any(String));
    const job = await until(async () => {
      const found = await queue.boss.getJobById<unknown>(RUN_QUEUE, id!, { includeArchive: true });
      return found?.state === "failed" ? found : null;
    }, "the invalid job to fail", 20_000);
    const message = (job.output as { message?: string }).message ?? "";
    expect(message).toContain("invalid troubleshooting-run job");
    expect(message).toContain("target.baseUrl");
    expect(message).toContain("trigger");
    expect(await engine.deps.prisma.troubleshootingRun.count()).toBe(before);
  });

  it("completes a job whose target already has an active run as skipped, without a second run", async () => {
    const { prisma } = engine.deps;
    const { runId: blocking } = await createRun(engine, { trigger: "api" }, testTarget(second.url, databaseUrl));
    try {
      const id = await queue.enqueue({ target: { baseUrl: second.url, databaseUrl, endpoints: [], browser: false }, trigger: "cron" });
      const job = await until(async () => {
        const found = await queue.boss.getJobById<unknown>(RUN_QUEUE, id!, { includeArchive: true });
        return found?.state === "completed" ? found : null;
      }, "the job to complete", 20_000);
      expect(job.output).toEqual({ skipped: "run_in_progress", runId: blocking });
      expect(await prisma.troubleshootingRun.count({ where: { target: { path: ["baseUrl"], equals: second.url } } })).toBe(2);
    } finally {
      await finish(prisma, blocking, "cancelled", "test");
    }
  });

  it("stop() marks a run still going after the grace period interrupted", async () => {
    const { prisma } = engine.deps;
    first.behaviour.delayMs = 3_000; // each page takes 3 s: the run outlasts the grace period
    const id = await queue.enqueue({ target: { baseUrl: first.url, databaseUrl, endpoints: [], browser: false }, trigger: "cli" });
    const run = await until(
      () => prisma.troubleshootingRun.findFirst({ where: { trigger: "cli", status: "running" }, select: { id: true } }),
      "the run to start",
      20_000,
    );
    await worker!.stop({ graceMs: 200 });
    worker = undefined;
    expect(await prisma.troubleshootingRun.findUnique({ where: { id: run.id }, select: { status: true, statusReason: true } })).toEqual({
      status: "interrupted",
      statusReason: expect.stringContaining("worker running it was stopped"),
    });
    const job = await until(async () => {
      const found = await queue.boss.getJobById<unknown>(RUN_QUEUE, id!, { includeArchive: true });
      return found?.state === "completed" ? found : null;
    }, "the job to complete", 10_000);
    expect(job.output).toEqual({ runId: run.id, status: "interrupted" });
  });
});
