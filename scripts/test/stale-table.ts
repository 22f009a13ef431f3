// A table whose planner statistics are stale: autovacuum never analyzes it, rows changed since.
import pg from "pg";
import { eventually } from "./checks";

export async function createStaleTable(databaseUrl: string, rows = 5_000): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query("CREATE TABLE orders (id serial PRIMARY KEY, total numeric) WITH (autovacuum_analyze_threshold = 2000000000)");
    await client.query("INSERT INTO orders (total) SELECT g FROM generate_series(1, $1) g", [rows]);
    await client.query("SELECT pg_stat_force_next_flush()");
  } finally {
    await client.end();
  }
  const probe = new pg.Client({ connectionString: databaseUrl });
  await probe.connect();
  try {
    const changes = () =>
      probe.query<{ n: string }>("SELECT n_mod_since_analyze::text AS n FROM pg_stat_user_tables WHERE relname = 'orders'").then((r) => Number(r.rows[0]?.n ?? 0));
    if ((await eventually(changes, (n) => n >= rows, 50)) < rows) throw new Error("the table's change counter never reached the statistics");
  } finally {
    await probe.end();
  }
}
