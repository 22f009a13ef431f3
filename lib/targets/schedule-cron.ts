// The fleet's part of the cron route (GET /cron): a tick (due stored targets queued, by name), and
// on a host without a worker (Vercel) a bounded drain of the fleet queue within the function's
// time. Workers, where there are any, take the rest; FLEET_CONCURRENCY's slots hold across both.
import type { PrismaClient } from "../db";
import type { Env } from "../env";
import { logger } from "../monitoring/logger";
import { type RunQueue, drainFleet, openRunQueue } from "../queue/run-queue";
import type { Engine } from "../troubleshooting/workflow/engine";
import { type FleetTick, tickFleet } from "./schedule";

/** Fleet jobs one cron call runs itself, one after the other, at most (a run takes minutes;
 * the route's maxDuration is 300 s). */
export const CRON_FLEET_DRAIN = 1;

export interface CronFleet {
  /** The names of the targets this tick queued (a target with a job still waiting is left out). */
  queued: string[];
  /** Runs up to CRON_FLEET_DRAIN waiting fleet jobs here, then closes the queue. Never throws. */
  drain(): Promise<void>;
}

/** Ticks the fleet; nothing is opened when no stored target has a schedule. Never throws: a failed
 * tick is logged (the next call, or a worker's tick, claims the same targets), so that the cron
 * route's own run and its maintenance go on. */
export async function cronFleet(prisma: PrismaClient, config: Env, engine: () => Promise<Engine>): Promise<CronFleet> {
  const log = logger().child({ component: "scheduler" });
  const nothing: CronFleet = { queued: [], drain: async () => {} };
  let queue: RunQueue | undefined;
  let tick: FleetTick;
  try {
    if ((await prisma.target.count({ where: { scheduleMinutes: { not: null } } })) === 0) return nothing;
    queue = await openRunQueue(config);
    tick = await tickFleet(queue);
  } catch (err) {
    log.error({ message: err instanceof Error ? err.message : String(err) }, "cron fleet tick failed");
    await queue?.close().catch(() => {});
    return nothing;
  }
  const opened = queue;
  return {
    queued: tick.claimed.filter((c) => c.jobId).map((c) => c.name),
    drain: async () => {
      try {
        await drainFleet(opened, await engine(), { max: CRON_FLEET_DRAIN });
      } catch (err) {
        log.error({ message: err instanceof Error ? err.message : String(err) }, "cron fleet drain failed");
      } finally {
        await opened.close().catch(() => {});
      }
    },
  };
}
