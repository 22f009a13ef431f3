// FLEET_CONCURRENCY across every process: a scheduled run of a stored target runs only while it
// holds one of N slots, each a session-level advisory lock on a connection of its own. Workers on
// several machines and the cron route's drain share DATABASE_URL, so they share the slots; a
// process that dies loses its connection, and Postgres frees its slot at once.
// The connection must be a real session (not a transaction-mode pooler such as PgBouncer's).
import pg from "pg";
import { logger } from "../monitoring/logger";

/** A held slot; release() unlocks it and closes its connection (never throws). */
export interface FleetSlot {
  slot: number;
  release(): Promise<void>;
}

/** Takes a free slot of `limit` (0..limit-1), or null when all are held. */
export async function acquireFleetSlot(connectionString: string, limit: number): Promise<FleetSlot | null> {
  const client = new pg.Client({ connectionString });
  // A dropped connection frees the slot on the server; the run in progress goes on regardless.
  client.on("error", (err) => logger().warn({ component: "worker", message: err.message }, "fleet slot connection lost"));
  await client.connect();
  try {
    for (let slot = 0; slot < limit; slot++) {
      const { rows } = await client.query<{ held: boolean }>("SELECT pg_try_advisory_lock(hashtext('troubleshooter:fleet'), $1::int) AS held", [slot]);
      if (rows[0]?.held) {
        return {
          slot,
          release: async () => {
            await client.query("SELECT pg_advisory_unlock(hashtext('troubleshooter:fleet'), $1::int)", [slot]).catch(() => {});
            await client.end().catch(() => {});
          },
        };
      }
    }
  } catch (err) {
    await client.end().catch(() => {});
    throw err;
  }
  await client.end().catch(() => {});
  return null;
}
