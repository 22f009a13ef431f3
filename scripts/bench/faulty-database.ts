// A target database with the database section's faults, for a full run: dead rows with
// autovacuum off, a large table scanned by an unindexed column, a sequence near its end, a long
// query and a transaction left open holding a lock. The two sessions belong to an application
// role, not a superuser: the fixes never touch superusers' sessions.
import pg from "pg";
import type { EmbeddedServer } from "../lib/embedded-postgres";
import { enableQueryStatistics } from "../lib/embedded-postgres";
import { asAppRole } from "../../fixtures/test/checks";

/** Each injected database fault and the check that should report it. */
export const DATABASE_FAULTS = [
  { fault: "deadRows", check: "db.table_bloat", subject: /\.orders$/ },
  { fault: "autovacuumOff", check: "db.vacuum_overdue", subject: /\.orders$/ },
  { fault: "unindexedScans", check: "db.missing_index", subject: /\.big$/ },
  { fault: "sequenceNearEnd", check: "db.sequence_exhaustion", subject: /nearly_done/ },
  { fault: "longQuery", check: "db.long_running_query", subject: /./ },
  { fault: "idleInTransaction", check: "db.idle_in_transaction", subject: /./ },
] as const;

/** The long-query and idle-transaction checks wait 60 s by default; a bench cannot. Operators
 * set the same through CHECK_THRESHOLDS. Applied to the healthy runs too. */
export const DATABASE_FAULT_THRESHOLDS = { "db.long_running_query": { mediumSeconds: 1 }, "db.idle_in_transaction": { idleSeconds: 1 } };

export interface FaultyDatabase {
  url: string;
  /** Ends the sessions (whatever the run's fixes left of them). */
  close(): Promise<void>;
}

export async function startFaultyDatabase(server: EmbeddedServer, name: string): Promise<FaultyDatabase> {
  await server.createDatabase(name);
  const url = server.urlFor(name);
  await enableQueryStatistics(url);
  const sql = new pg.Client({ connectionString: url });
  await sql.connect();
  try {
    await sql.query(`CREATE TABLE orders (id int PRIMARY KEY, customer int, note text) WITH (autovacuum_enabled = false);
      INSERT INTO orders SELECT g, g % 97, 'n' FROM generate_series(1, 50000) g; ANALYZE orders;
      DELETE FROM orders WHERE id <= 20000`);
    await sql.query("CREATE TABLE big (id int PRIMARY KEY, customer int); INSERT INTO big SELECT g, g % 1000 FROM generate_series(1, 50000) g; ANALYZE big");
    for (let i = 0; i < 12; i++) await sql.query("SELECT count(*) FROM big WHERE customer = $1", [i]);
    await sql.query("CREATE SEQUENCE nearly_done AS integer; SELECT setval('nearly_done', 2100000000)");
    await sql.query("SELECT pg_stat_force_next_flush()");
  } finally {
    await sql.end();
  }
  const appUrl = await asAppRole(url);
  const grant = new pg.Client({ connectionString: url });
  await grant.connect();
  await grant.query("GRANT SELECT, UPDATE ON orders TO app_user").finally(() => grant.end());
  const busy = new pg.Client({ connectionString: appUrl, application_name: "bench-busy" });
  const idle = new pg.Client({ connectionString: appUrl, application_name: "bench-idle" });
  for (const client of [busy, idle]) {
    client.on("error", () => {}); // the run's fixes cancel and terminate these on purpose
    await client.connect();
  }
  void busy.query("SELECT pg_sleep(120)").catch(() => {});
  await idle.query("BEGIN; UPDATE orders SET note = 'x' WHERE id = 30000");
  await new Promise((r) => setTimeout(r, 1_500)); // past the 1 s thresholds above
  return {
    url,
    async close() {
      const admin = new pg.Client({ connectionString: url });
      await admin.connect();
      await admin.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name IN ('bench-busy', 'bench-idle')").finally(() => admin.end());
      await Promise.all([busy.end(), idle.end()].map((p) => p.catch(() => {})));
    },
  };
}
