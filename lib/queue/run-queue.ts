// A queue of troubleshooting runs (pg-boss, in its own Postgres schema QUEUE_SCHEMA, out of Prisma's
// migrations): any process enqueues a target, `npm run worker` processes on any number of
// machines take the jobs (SELECT ... FOR UPDATE SKIP LOCKED) and run them. At most one job per
// target waits in a queue (singletonKey = the target's key, policy "short"); the run service's
// advisory lock keeps at most one active run per target, whoever started it.
// Two queues: RUN_QUEUE for runs asked for (CLI --enqueue, a caller of enqueue()), FLEET_QUEUE for
// the scheduled runs of stored targets (lib/targets/schedule.ts), which run only while they hold
// one of FLEET_CONCURRENCY slots shared by every process (fleet-slots.ts), so a fleet of fifty
// targets falling due at once never starves a run someone asked for, nor runs fifty at a time.
// A job names its target: a stored target or "default" by name (opened from the store when the
// run starts: the job holds no secret of it), or an ad-hoc target by URL (its database password
// sealed, job-secrets.ts).
import PgBoss from "pg-boss";
import { z } from "zod";
import { ApiError } from "../api/errors";
import { logger } from "../monitoring/logger";
import type { Engine } from "../troubleshooting/workflow/engine";
import { abortInFlight, createRun, defaultTarget, executeRun, targetKeyOf } from "../troubleshooting/runs/run-service";
import { finish } from "../troubleshooting/runs/run-status";
import type { Env } from "../env";
import { openUrlPassword, sealUrlPassword } from "./job-secrets";
import { APP_SCHEMA, QUEUE_SCHEMA } from "../own-schemas";
import { DEFAULT_TARGET_NAME } from "../targets/scope";
import type { Target } from "../troubleshooting/catalogue";
import type { Domain } from "../troubleshooting/report";
import { acquireFleetSlot } from "./fleet-slots";
import { UnknownTargetError, openNamedTarget } from "./named-target";

export { QUEUE_SCHEMA, UnknownTargetError };
export const RUN_QUEUE = "troubleshooting-run";
/** Scheduled runs of stored targets (lib/targets/schedule.ts). */
export const FLEET_QUEUE = "troubleshooting-fleet";
/** A fleet job that finds every slot held waits this long before it is fetched again. */
const FLEET_DEFER_SECONDS = 15;
/** A job still active after this long is failed by pg-boss (the run itself has its own timeouts). */
const RUN_JOB_EXPIRE_SECONDS = 900;

const httpUrl = z.url({ protocol: /^https?$/, error: "must be an http(s) URL" });
const postgresUrl = z.string().refine((value) => /^postgres(ql)?:\/\/[^/]+/.test(value) && URL.canParse(value), "must be a postgres:// URL");

/** A target's name as the store keeps it (a stored target's, or "default"). */
const targetName = z.string().trim().min(1, "must name a target").max(200, "must be at most 200 characters");

const adHocTarget = z.object({
  baseUrl: httpUrl,
  databaseUrl: postgresUrl.optional(),
  /** The database password, sealed (job-secrets.ts): never stored in the clear. */
  databasePassword: z.string().optional(),
  endpoints: z.array(httpUrl).optional(),
  pages: z.array(z.string().startsWith("/", "must be paths starting with /")).optional(),
  browser: z.boolean().optional(),
});

const runJobSchema = z.object({
  /** A target by name (stored, or "default"), or an ad-hoc target by URL. */
  target: z.union([targetName, adHocTarget], { error: "must be a target's name or {baseUrl, ...}" }),
  /** A named target's runs without the browser (an ad-hoc target says so in its own `browser`). */
  browser: z.boolean().optional(),
  trigger: z.enum(["cron", "api", "cli"]),
  initialIssue: z.string().max(2_000).optional(),
});

export type RunJob = z.infer<typeof runJobSchema>;

/** What a processed job records as its output. */
type RunJobOutput =
  | { runId: string; status: string }
  | { skipped: "run_in_progress"; runId: string }
  | { dropped: "unknown_target"; target: string }
  | { requeued: true }
  | { deferred: "fleet_slots_full" };

export interface RunQueue {
  /** The pg-boss instance (for inspection: getJobById, getQueueSize...). */
  readonly boss: PgBoss;
  /** The configuration jobs are completed with (default target, the secret sealing passwords). */
  readonly config: Env;
  /** Validates and queues a run; returns the job id, or null when the target is already queued.
   * Throws UnknownTargetError (naming it) when `target` names no target. */
  enqueue(job: RunJob): Promise<string | null>;
  /** Stops pg-boss (waiting up to timeoutMs for jobs its workers still hold) and closes its pool. */
  close(options?: { timeoutMs?: number }): Promise<void>;
}

export interface RunWorker {
  /** Takes no more jobs, waits up to graceMs for the runs in progress, marks those still going
   * "interrupted" (and stops them), and resolves once every handler has returned. */
  stop(options?: { graceMs?: number }): Promise<void>;
}

/** The key under which a target waits in the queue: the run service's target key (site origin
 * and database), so "already queued" and "already running" mean the same target. A stored
 * target's key is read from its row (no secret is opened). */
async function runJobKey(job: RunJob, config: Env, boss: PgBoss): Promise<string> {
  if (typeof job.target !== "string") return targetKeyOf(defaultTarget(config, { baseUrl: job.target.baseUrl, databaseUrl: job.target.databaseUrl }));
  if (job.target === DEFAULT_TARGET_NAME) return targetKeyOf(defaultTarget(config));
  const { rows } = await boss.getDb().executeSql(`SELECT "targetKey" FROM "${APP_SCHEMA}"."Target" WHERE name = $1`, [job.target]);
  const key = (rows[0] as { targetKey?: string } | undefined)?.targetKey;
  if (!key) throw new UnknownTargetError(job.target);
  return key;
}

class InvalidRunJobError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "InvalidRunJobError";
  }
}

/** Parses a job's data, throwing InvalidRunJobError with every problem, path first. */
function parseRunJob(data: unknown): RunJob {
  const parsed = runJobSchema.safeParse(data);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((i) => `${i.path.join(".") || "job"}: ${i.message}`);
  throw new InvalidRunJobError(`invalid troubleshooting-run job: ${problems.join("; ")}`);
}

export async function openRunQueue(config: Env): Promise<RunQueue> {
  const databaseUrl = config.DATABASE_URL;
  const log = logger().child({ component: "worker" });
  const boss = new PgBoss({ connectionString: databaseUrl, schema: QUEUE_SCHEMA, max: 5, schedule: false });
  // Without a listener an "error" event would throw; pg-boss reports fetch and maintenance errors here.
  boss.on("error", (err: Error & { queue?: string }) => log.error({ queue: err.queue, message: err.message }, "queue error"));
  await boss.start();
  try {
    for (const name of [RUN_QUEUE, FLEET_QUEUE]) {
      // A failed run is reported (the run row says why), not repeated.
      const options: PgBoss.Queue = { name, policy: "short", retryLimit: 0, expireInSeconds: RUN_JOB_EXPIRE_SECONDS };
      await boss.createQueue(name, { ...options });
      await boss.updateQueue(name, { ...options }); // createQueue leaves an existing queue as it was
    }
  } catch (err) {
    await boss.stop({ graceful: false });
    throw err;
  }
  return {
    boss,
    config,
    enqueue: async (job) => {
      const data = parseRunJob(job);
      const singletonKey = await runJobKey(data, config, boss); // refuses an unknown name
      if (typeof data.target === "string") return boss.send(RUN_QUEUE, data, { singletonKey });
      const sealed = data.target.databaseUrl ? sealUrlPassword(data.target.databaseUrl, config.AUTH_SECRET) : undefined;
      // Undefined fields are left out of the stored JSON.
      const target = { ...data.target, databaseUrl: sealed?.url, databasePassword: sealed?.sealedPassword };
      return boss.send(RUN_QUEUE, { ...data, target }, { singletonKey });
    },
    close: ({ timeoutMs = 10_000 } = {}) => boss.stop({ graceful: true, wait: true, timeout: timeoutMs }),
  };
}

export interface RunWorkerOptions {
  /** Runs of RUN_QUEUE at once in this process (WORKER_CONCURRENCY). */
  concurrency: number;
  /** Fetch loops on FLEET_QUEUE in this process (default FLEET_CONCURRENCY); however many, the
   * fleet's runs are capped at FLEET_CONCURRENCY across processes by the slots. */
  fleetConcurrency?: number;
  pollingIntervalSeconds?: number;
  /** false: this worker's runs of named targets use no browser (a machine without Chromium). */
  browser?: false;
}

/** One job of either queue, run to its end: what a worker loop and the cron route's drain share. */
type JobProcessor = (queueName: string, job: PgBoss.Job<unknown>, hooks?: { onRun?: (runId: string) => void; stopping?: () => boolean }) => Promise<RunJobOutput>;

function jobProcessor(queue: RunQueue, engine: Engine, options: { browser?: false }): JobProcessor {
  const { boss, config: queueConfig } = queue;
  const log = logger().child({ component: "worker" });

  return async (queueName, job, hooks = {}) => {
    const data = parseRunJob(job.data);
    const name = typeof data.target === "string" ? data.target : null;
    if (hooks.stopping?.()) {
      // Fetched as the worker stopped: back to the queue for another worker.
      await sendAgain(queueName, data);
      return { requeued: true };
    }
    let opened: { target: Target; targetId: string | null; domains?: Domain[] };
    try {
      opened = name ? await openNamedTarget(engine.deps.prisma, queueConfig, name, { browser: options.browser ?? data.browser }) : adHoc(data, queueConfig, options);
    } catch (err) {
      if (!(err instanceof UnknownTargetError)) throw err;
      log.warn({ jobId: job.id, target: name }, "the job's target no longer exists (deleted since it was queued); job dropped");
      return { dropped: "unknown_target", target: err.targetName };
    }
    const slot = queueName === FLEET_QUEUE ? await acquireFleetSlot(queueConfig.DATABASE_URL, queueConfig.FLEET_CONCURRENCY) : null;
    if (queueName === FLEET_QUEUE && !slot) {
      await sendAgain(queueName, data, FLEET_DEFER_SECONDS);
      log.info({ jobId: job.id, target: name, limit: queueConfig.FLEET_CONCURRENCY }, "every fleet slot is held (FLEET_CONCURRENCY); job deferred");
      return { deferred: "fleet_slots_full" };
    }
    try {
      const key = targetKeyOf(opened.target);
      let created;
      try {
        created = await createRun(engine, { trigger: data.trigger, initialIssue: data.initialIssue, domains: opened.domains, targetId: opened.targetId }, opened.target);
      } catch (err) {
        if (err instanceof ApiError && err.status === 409) {
          const runId = String(err.details?.runId);
          log.info({ jobId: job.id, target: name ?? key, runId }, "target already has an active run; job skipped");
          return { skipped: "run_in_progress", runId };
        }
        throw err;
      }
      const { runId, config } = created;
      hooks.onRun?.(runId);
      log.info({ jobId: job.id, target: name ?? key, runId, trigger: data.trigger, fleetSlot: slot?.slot }, "run started");
      await executeRun(engine, runId, config); // logs "run ended" with its figures (run-ended.ts)
      const run = await engine.deps.prisma.troubleshootingRun.findUnique({ where: { id: runId }, select: { status: true } });
      return { runId, status: run?.status ?? "unknown" };
    } finally {
      await slot?.release();
    }
  };

  async function sendAgain(queueName: string, data: RunJob, startAfterSeconds?: number): Promise<void> {
    let singletonKey: string;
    try {
      singletonKey = await runJobKey(data, queueConfig, boss);
    } catch (err) {
      if (err instanceof UnknownTargetError) return; // deleted meanwhile: nothing to run later
      throw err;
    }
    await boss.send(queueName, data, { singletonKey, ...(startAfterSeconds ? { startAfter: startAfterSeconds } : {}) });
  }
}

/** An ad-hoc job's target, its database password opened. */
function adHoc(data: RunJob, config: Env, options: { browser?: false }): { target: Target; targetId: null } {
  const { databasePassword, ...jobTarget } = data.target as z.infer<typeof adHocTarget>;
  const databaseUrl = jobTarget.databaseUrl && openUrlPassword(jobTarget.databaseUrl, databasePassword, config.AUTH_SECRET);
  return { target: defaultTarget(config, { ...jobTarget, databaseUrl, ...(options.browser === false ? { browser: false } : {}) }), targetId: null };
}

/** Processes queued runs, up to `concurrency` at once (one pg-boss work loop each), and the
 * fleet's scheduled runs on `fleetConcurrency` loops of their own. */
export async function startRunWorker(queue: RunQueue, engine: Engine, options: RunWorkerOptions): Promise<RunWorker> {
  const { boss } = queue;
  const inProgress = new Map<string, { runId: string | null; done: Promise<unknown> }>();
  let stopping = false;
  const processJob = jobProcessor(queue, engine, options);

  const handlerOf = (queueName: string) => async (jobs: PgBoss.Job<unknown>[]): Promise<RunJobOutput | undefined> => {
    const results = await Promise.all(
      jobs.map((job) => {
        const entry: { runId: string | null; done: Promise<unknown> } = { runId: null, done: Promise.resolve() };
        inProgress.set(job.id, entry);
        const done = processJob(queueName, job, { onRun: (runId) => (entry.runId = runId), stopping: () => stopping }).finally(() => inProgress.delete(job.id));
        entry.done = done.catch(() => {});
        return done;
      }),
    );
    return results[0]; // batchSize is 1: pg-boss records the output of a single job
  };

  const loops = (n: number) => Math.max(1, Math.floor(n));
  const ids: string[] = [];
  const work = { batchSize: 1, pollingIntervalSeconds: options.pollingIntervalSeconds ?? 2 };
  for (let i = 0; i < loops(options.concurrency); i++) ids.push(await boss.work(RUN_QUEUE, work, handlerOf(RUN_QUEUE)));
  for (let i = 0; i < loops(options.fleetConcurrency ?? queue.config.FLEET_CONCURRENCY); i++) ids.push(await boss.work(FLEET_QUEUE, work, handlerOf(FLEET_QUEUE)));

  return {
    async stop({ graceMs = 25_000 } = {}) {
      stopping = true;
      for (const id of ids) await boss.offWork({ id });
      const settled = () => Promise.all([...inProgress.values()].map((e) => e.done));
      if (await within(settled(), graceMs)) return;
      for (const { runId } of inProgress.values()) {
        if (!runId) continue;
        await finish(engine.deps.prisma, runId, "interrupted", "the worker running it was stopped before the run ended; resume it from its last checkpoint or start a new run", engine.deps.settings.alerts);
        abortInFlight(runId);
      }
      await within(settled(), 10_000);
    },
  };
}

/** Runs up to `max` waiting fleet jobs here, one after the other (the cron route on a host
 * without a worker: bounded, so that they fit in the function's time). Returns their outputs. */
export async function drainFleet(queue: RunQueue, engine: Engine, options: { max: number; browser?: false }): Promise<RunJobOutput[]> {
  const processJob = jobProcessor(queue, engine, options);
  const outputs: RunJobOutput[] = [];
  for (let i = 0; i < options.max; i++) {
    const [job] = await queue.boss.fetch<unknown>(FLEET_QUEUE, { batchSize: 1 });
    if (!job) break;
    try {
      const output = await processJob(FLEET_QUEUE, job);
      await queue.boss.complete(FLEET_QUEUE, job.id, output);
      outputs.push(output);
      if ("deferred" in output) break; // every slot is held: the workers have the fleet in hand
    } catch (err) {
      await queue.boss.fail(FLEET_QUEUE, job.id, { message: err instanceof Error ? err.message : String(err) });
    }
  }
  return outputs;
}

async function within(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
  try {
    return await Promise.race([promise.then(() => true), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
