// A table whose planner statistics are stale: autovacuum never analyzes it, rows changed since.
import pg from "pg";

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
  await waitFor(databaseUrl, "SELECT n_mod_since_analyze FROM pg_stat_user_tables WHERE relname = 'orders'", (v) => Number(v) >= rows);
}

async function waitFor(databaseUrl: string, sql: string, ok: (value: unknown) => boolean): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    for (let i = 0; i < 50; i++) {
      const { rows } = await client.query(sql);
      if (ok(Object.values(rows[0] ?? {})[0])) return;
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error(`timed out waiting for: ${sql}`);
  } finally {
    await client.end();
  }
}
