// The fleet's schedule: stored targets with `scheduleMinutes` run every that many minutes, through
// the PostgreSQL queue (lib/queue/run-queue.ts, FLEET_QUEUE), not one cron entry per target. A
// tick (the cron route, and every FLEET_TICK_SECONDS in each worker) claims the due targets with
// FOR UPDATE SKIP LOCKED, so two ticks at once never claim the same one, moves their `nextRunAt`
// on, and enqueues one job per target by name, in the same transaction: a tick that fails
// enqueues nothing and moves nothing.
import pg from "pg";
import { logger } from "../monitoring/logger";
import { APP_SCHEMA } from "../own-schemas";
import { FLEET_QUEUE, type RunJob, type RunQueue } from "../queue/run-queue";

/** How often a worker ticks (the cron route ticks when Vercel Cron calls it). */
export const FLEET_TICK_SECONDS = 30;
/** Targets claimed by one tick at most; the rest are claimed by the next. */
const CLAIM_LIMIT = 500;

export interface FleetTick {
  /** The targets this tick claimed; jobId null: a job of that target was still waiting (nothing new queued). */
  claimed: { name: string; jobId: string | null; dueAt: Date | null; nextRunAt: Date }[];
}

interface DueRow {
  id: string;
  name: string;
  targetKey: string;
  /** ISO strings (UTC): the columns are `timestamp(3)` without time zone, holding UTC as Prisma writes them. */
  dueAt: string | null;
  nextRunAt: string;
}

/**
 * Claims every stored target whose `scheduleMinutes` is set and `nextRunAt` is due (NULL: due
 * now), enqueues a `{ target: name, trigger: "cron" }` job for each (singletonKey: its
 * targetKey, so it never has two jobs waiting), and moves `nextRunAt` to the first slot after
 * `now` on its grid (due + k × interval): missed slots are skipped, never piled up. A NULL
 * `nextRunAt` starts the grid at `now`.
 */
export async function tickFleet(queue: RunQueue, options: { now?: Date } = {}): Promise<FleetTick> {
  const now = (options.now ?? new Date()).toISOString();
  const client = new pg.Client({ connectionString: queue.config.DATABASE_URL });
  await client.connect();
  try {
    await client.query("BEGIN");
    const table = `"${APP_SCHEMA}"."Target"`;
    // The next slot is computed here, in UTC, from the due time the row holds.
    const { rows } = await client.query<DueRow>(
      `WITH due AS (
         SELECT id, "nextRunAt" AS due_at, "scheduleMinutes" AS every FROM ${table}
         WHERE "scheduleMinutes" IS NOT NULL AND "scheduleMinutes" > 0
           AND ("nextRunAt" IS NULL OR "nextRunAt" <= ($1::timestamptz AT TIME ZONE 'UTC'))
         ORDER BY "nextRunAt" ASC NULLS FIRST, name
         LIMIT $2
         FOR UPDATE SKIP LOCKED
       ), now_utc AS (SELECT ($1::timestamptz AT TIME ZONE 'UTC') AS at)
       UPDATE ${table} t SET "nextRunAt" = CASE
           WHEN due.due_at IS NULL THEN now_utc.at + make_interval(mins => due.every)
           ELSE due.due_at + make_interval(mins => due.every * (floor(extract(epoch FROM now_utc.at - due.due_at) / (due.every * 60))::int + 1))
         END
       FROM due, now_utc
       WHERE t.id = due.id
       RETURNING t.id, t.name, t."targetKey",
         to_char(due.due_at, 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "dueAt",
         to_char(t."nextRunAt", 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "nextRunAt"`,
      [now, CLAIM_LIMIT],
    );
    // pg-boss inserts through this transaction's connection: the job exists only if the claim commits.
    const db = { executeSql: (text: string, values: unknown[]) => client.query(text, values) };
    const claimed: FleetTick["claimed"] = [];
    for (const row of rows.sort((a, b) => a.name.localeCompare(b.name))) {
      const job: RunJob = { target: row.name, trigger: "cron" };
      const jobId = await queue.boss.send(FLEET_QUEUE, job, { singletonKey: row.targetKey, db });
      claimed.push({ name: row.name, jobId, dueAt: row.dueAt ? new Date(row.dueAt) : null, nextRunAt: new Date(row.nextRunAt) });
    }
    await client.query("COMMIT");
    const log = logger().child({ component: "scheduler" });
    for (const c of claimed) {
      if (c.jobId) log.info({ target: c.name, jobId: c.jobId, nextRunAt: c.nextRunAt.toISOString() }, "scheduled run queued");
      else log.info({ target: c.name, nextRunAt: c.nextRunAt.toISOString() }, "scheduled run not queued: a job of this target is still waiting");
    }
    return { claimed };
  } catch (err) {
    await client.query("ROLLBACK").catch(() => {});
    throw err;
  } finally {
    await client.end().catch(() => {});
  }
}

/** Ticks now and every `intervalSeconds` until stop() (a worker's loop). A failed tick is logged
 * and the next one tries again. */
export function startFleetScheduler(queue: RunQueue, options: { intervalSeconds?: number } = {}): { stop(): Promise<void> } {
  const log = logger().child({ component: "scheduler" });
  let current: Promise<unknown> = Promise.resolve();
  const tick = () => {
    current = tickFleet(queue).catch((err: unknown) => log.error({ message: err instanceof Error ? err.message : String(err) }, "fleet tick failed"));
  };
  tick();
  const timer = setInterval(tick, (options.intervalSeconds ?? FLEET_TICK_SECONDS) * 1000);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await current;
    },
  };
}
