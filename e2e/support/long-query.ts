import pg from "pg";

/** A query that sleeps in the platform's database as the app role, under `application`, long
 * enough that the database bot reports it (the e2e apps count 1 s as long-running). */
export interface LongQuery {
  /** "finished", or the error that ended it (a cancel reads "canceling statement due to user request"). */
  outcome: Promise<string>;
  /** Cancels it from another session (its own is busy sleeping) and waits for it to end. */
  cancel(): Promise<void>;
  /** Cancels it if it still runs, then closes its session: a closed connection alone leaves the
   * server sleeping for the full time, and the next specs' runs would find it. */
  end(): Promise<void>;
}

/** `url`: the platform's database as its app role (platformDatabaseUrl of ./mount.ts). */
export async function startLongQuery(url: string, application: string, seconds = 60): Promise<LongQuery> {
  const session = new pg.Client({ connectionString: url, application_name: application });
  await session.connect();
  const outcome = session.query("SELECT pg_sleep($1)", [seconds]).then(() => "finished", (err: Error) => err.message);
  await new Promise((r) => setTimeout(r, 1_500));
  async function cancel() {
    const other = new pg.Client({ connectionString: url });
    await other.connect();
    await other.query("SELECT pg_cancel_backend(pid) FROM pg_stat_activity WHERE application_name = $1", [application]);
    await other.end();
    await outcome;
  }
  return {
    outcome,
    cancel,
    end: async () => {
      await cancel().catch(() => {});
      await session.end().catch(() => {});
    },
  };
}
