// A queue of troubleshooting runs (pg-boss, in its own Postgres schema QUEUE_SCHEMA, out of Prisma's
// migrations): any process enqueues a target, `npm run worker` processes on any number of
// machines take the jobs (SELECT ... FOR UPDATE SKIP LOCKED) and run them. At most one job per
// target waits in the queue (singletonKey = the target's origin, policy "short"); the run
// service's advisory lock keeps at most one active run per target, whoever started it.
import PgBoss from "pg-boss";
import { z } from "zod";
import { ApiError } from "../api/errors";
import { logger } from "../monitoring/logger";
import type { Engine } from "../troubleshooting/workflow/engine";
import { abortInFlight, createRun, defaultTarget, executeRun, targetKeyOf } from "../troubleshooting/runs/run-service";
import { finish } from "../troubleshooting/runs/run-status";
import type { Env } from "../env";
import { openUrlPassword, sealUrlPassword } from "./job-secrets";
import { QUEUE_SCHEMA } from "../own-schemas";

export { QUEUE_SCHEMA };
export const RUN_QUEUE = "troubleshooting-run";
/** A job still active after this long is failed by pg-boss (the run itself has its own timeouts). */
const RUN_JOB_EXPIRE_SECONDS = 900;

const httpUrl = z.url({ protocol: /^https?$/, error: "must be an http(s) URL" });
const postgresUrl = z.string().refine((value) => /^postgres(ql)?:\/\/[^/]+/.test(value) && URL.canParse(value), "must be a postgres:// URL");

const runJobSchema = z.object({
  target: z.object({
    baseUrl: httpUrl,
    databaseUrl: postgresUrl.optional(),
    /** The database password, sealed (job-secrets.ts): never stored in the clear. */
    databasePassword: z.string().optional(),
    endpoints: z.array(httpUrl).optional(),
    pages: z.array(z.string().startsWith("/", "must be paths starting with /")).optional(),
    browser: z.boolean().optional(),
  }),
  trigger: z.enum(["cron", "api", "cli"]),
  initialIssue: z.string().max(2_000).optional(),
});

type RunJob = z.infer<typeof runJobSchema>;

/** What a processed job records as its output. */
type RunJobOutput = { runId: string; status: string } | { skipped: "run_in_progress"; runId: string } | { requeued: true };

export interface RunQueue {
  /** The pg-boss instance (for inspection: getJobById, getQueueSize...). */
  readonly boss: PgBoss;
  /** The configuration jobs are completed with (default target, the secret sealing passwords). */
  readonly config: Env;
  /** Validates and queues a run; returns the job id, or null when the target is already queued. */
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
 * and database), so "already queued" and "already running" mean the same target. */
function runJobKey(job: RunJob, config: Env): string {
  return targetKeyOf(defaultTarget(config, { baseUrl: job.target.baseUrl, databaseUrl: job.target.databaseUrl }));
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
    // A failed run is reported (the run row says why), not repeated.
    const options: PgBoss.Queue = { name: RUN_QUEUE, policy: "short", retryLimit: 0, expireInSeconds: RUN_JOB_EXPIRE_SECONDS };
    await boss.createQueue(RUN_QUEUE, { ...options });
    await boss.updateQueue(RUN_QUEUE, { ...options }); // createQueue leaves an existing queue as it was
  } catch (err) {
    await boss.stop({ graceful: false });
    throw err;
  }
  return {
    boss,
    config,
    enqueue: async (job) => {
      const data = parseRunJob(job);
      const sealed = data.target.databaseUrl ? sealUrlPassword(data.target.databaseUrl, config.AUTH_SECRET) : undefined;
      // Undefined fields are left out of the stored JSON.
      const target = { ...data.target, databaseUrl: sealed?.url, databasePassword: sealed?.sealedPassword };
      return boss.send(RUN_QUEUE, { ...data, target }, { singletonKey: runJobKey(data, config) });
    },
    close: ({ timeoutMs = 10_000 } = {}) => boss.stop({ graceful: true, wait: true, timeout: timeoutMs }),
  };
}

/** Processes queued runs, up to `concurrency` at once (one pg-boss work loop each). */
export async function startRunWorker(queue: RunQueue, engine: Engine, options: { concurrency: number; pollingIntervalSeconds?: number }): Promise<RunWorker> {
  const { boss } = queue;
  const log = logger().child({ component: "worker" });
  const inProgress = new Map<string, { runId: string | null; done: Promise<unknown> }>();
  let stopping = false;

  async function processJob(job: PgBoss.Job<unknown>): Promise<RunJobOutput> {
    const data = parseRunJob(job.data);
    if (stopping) {
      // Fetched as the worker stopped: back to the queue for another worker.
      await boss.send(RUN_QUEUE, data, { singletonKey: runJobKey(data, queue.config) });
      return { requeued: true };
    }
    const entry = inProgress.get(job.id);
    const { databasePassword, ...jobTarget } = data.target;
    const target = defaultTarget(queue.config, { ...jobTarget, databaseUrl: jobTarget.databaseUrl && openUrlPassword(jobTarget.databaseUrl, databasePassword, queue.config.AUTH_SECRET) });
    let created;
    try {
      created = await createRun(engine, { trigger: data.trigger, initialIssue: data.initialIssue }, target);
    } catch (err) {
      if (err instanceof ApiError && err.status === 409) {
        const runId = String(err.details?.runId);
        log.info({ jobId: job.id, target: runJobKey(data, queue.config), runId }, "target already has an active run; job skipped");
        return { skipped: "run_in_progress", runId };
      }
      throw err;
    }
    const { runId, config } = created;
    if (entry) entry.runId = runId;
    log.info({ jobId: job.id, target: runJobKey(data, queue.config), runId, trigger: data.trigger }, "run started");
    await executeRun(engine, runId, config); // logs "run ended" with its figures (run-ended.ts)
    const run = await engine.deps.prisma.troubleshootingRun.findUnique({ where: { id: runId }, select: { status: true } });
    return { runId, status: run?.status ?? "unknown" };
  }

  const handler = async (jobs: PgBoss.Job<unknown>[]): Promise<RunJobOutput | undefined> => {
    const results = await Promise.all(
      jobs.map((job) => {
        const entry: { runId: string | null; done: Promise<unknown> } = { runId: null, done: Promise.resolve() };
        inProgress.set(job.id, entry);
        const done = processJob(job).finally(() => inProgress.delete(job.id));
        entry.done = done.catch(() => {});
        return done;
      }),
    );
    return results[0]; // batchSize is 1: pg-boss records the output of a single job
  };

  const concurrency = Math.max(1, Math.floor(options.concurrency));
  const ids: string[] = [];
  for (let i = 0; i < concurrency; i++) {
    ids.push(await boss.work(RUN_QUEUE, { batchSize: 1, pollingIntervalSeconds: options.pollingIntervalSeconds ?? 2 }, handler));
  }

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

async function within(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
  try {
    return await Promise.race([promise.then(() => true), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
