// Real database faults, each made the way it happens in production (a deploy that died holding
// Prisma's lock, a forgotten replication slot, a failed CREATE UNIQUE INDEX CONCURRENTLY...), with
// the check and subject that must report it. Shared by the database truth test and the bench.
// Every object a fault creates is named fault_*, so that a finding's subject says which fault it
// is about. Sessions a fault keeps open are closed by the returned handle.
import pg from "pg";
import type { Thresholds } from "../../lib/troubleshooting/catalogue";
import { sqlLiteral } from "../../lib/troubleshooting/fixes/quote";
import { asAppRole, eventually, sleep } from "./checks";

export interface DatabaseFault {
  name: string;
  /** The check that must report it, and what the finding's subject must match. */
  check: string;
  subject: RegExp;
  /** Findings of other checks this fault rightly causes too (not false positives). */
  alsoReports?: { check: string; subject: RegExp }[];
  create(ctx: FaultContext): Promise<void>;
}

interface FaultContext {
  /** A superuser session on the target database (the fault maker, not the application). */
  sql: pg.Client;
  /** Opens a session of the application's role that stays open until the faults are removed. */
  app(name: string): Promise<pg.Client>;
}

/** The waits a bench or test cannot sit through (the defaults are 60 s and more); operators set
 * the same through CHECK_THRESHOLDS. Applied to healthy runs too. */
export const DATABASE_FAULT_THRESHOLDS: Record<string, Thresholds> = {
  "db.long_running_query": { mediumSeconds: 1 },
  "db.idle_in_transaction": { idleSeconds: 1 },
  "db.blocked_queries": { waitSeconds: 1 },
  "db.advisory_locks": { idleSeconds: 1 },
  "db.prepared_transactions": { mediumSeconds: 1 },
};

/** Prisma's own DDL for its migrations table. */
const PRISMA_MIGRATIONS_TABLE = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" ("id" VARCHAR(36) PRIMARY KEY NOT NULL, "checksum" VARCHAR(64) NOT NULL,
  "finished_at" TIMESTAMPTZ, "migration_name" VARCHAR(255) NOT NULL, "logs" TEXT, "rolled_back_at" TIMESTAMPTZ,
  "started_at" TIMESTAMPTZ NOT NULL DEFAULT now(), "applied_steps_count" INTEGER NOT NULL DEFAULT 0)`;

export const DATABASE_FAULT_CATALOGUE: DatabaseFault[] = [
  {
    name: "dead rows, autovacuum off",
    check: "db.table_bloat",
    subject: /\.fault_events$/,
    // Autovacuum off also means no auto-analyze: the statistics go stale too.
    alsoReports: [{ check: "db.vacuum_overdue", subject: /\.fault_events$/ }, { check: "db.stale_statistics", subject: /\.fault_events$/ }],
    async create({ sql }) {
      await sql.query(`CREATE TABLE fault_events (id int PRIMARY KEY, body text) WITH (autovacuum_enabled = false);
        INSERT INTO fault_events SELECT g, 'x' FROM generate_series(1, 40000) g; DELETE FROM fault_events WHERE id <= 25000`);
    },
  },
  {
    name: "sequential scans on an unindexed column",
    check: "db.missing_index",
    subject: /\.fault_purchases$/,
    async create({ sql }) {
      await sql.query("CREATE TABLE fault_purchases (id int PRIMARY KEY, customer_id int); INSERT INTO fault_purchases SELECT g, g % 700 FROM generate_series(1, 30000) g");
      // The load's counters reach the statistics first, so that ANALYZE starts them afresh.
      await sql.query("SELECT pg_stat_force_next_flush()");
      await sql.query("ANALYZE fault_purchases");
      for (let i = 0; i < 12; i++) await sql.query("SELECT count(*) FROM fault_purchases WHERE customer_id = $1", [i]);
    },
  },
  {
    name: "sequence near its end",
    check: "db.sequence_exhaustion",
    subject: /fault_invoice_no/,
    async create({ sql }) {
      await sql.query("CREATE SEQUENCE fault_invoice_no AS integer; SELECT setval('fault_invoice_no', 2100000000)");
    },
  },
  {
    name: "planner statistics stale",
    check: "db.stale_statistics",
    subject: /\.fault_orders$/,
    async create({ sql }) {
      await sql.query("CREATE TABLE fault_orders (id serial PRIMARY KEY, total numeric) WITH (autovacuum_analyze_threshold = 2000000000); INSERT INTO fault_orders (total) SELECT g FROM generate_series(1, 5000) g");
    },
  },
  {
    name: "transaction left open holding a row lock, and the query it blocks",
    check: "db.idle_in_transaction",
    subject: /./,
    alsoReports: [{ check: "db.blocked_queries", subject: /./ }],
    async create({ sql, app }) {
      await sql.query("CREATE TABLE fault_accounts (id int PRIMARY KEY, balance int); INSERT INTO fault_accounts VALUES (1, 0); GRANT SELECT, UPDATE ON fault_accounts TO app_user");
      await (await app("fault-idle-holder")).query("BEGIN; UPDATE fault_accounts SET balance = balance + 1 WHERE id = 1");
      void (await app("fault-waiter")).query("UPDATE fault_accounts SET balance = balance + 10 WHERE id = 1").catch(() => {});
    },
  },
  {
    name: "query running for minutes",
    check: "db.long_running_query",
    subject: /./,
    async create({ app }) {
      void (await app("fault-report-job")).query("SELECT pg_sleep(600)").catch(() => {});
    },
  },
  {
    name: "Prisma Migrate's lock held by a dead deploy's idle session",
    check: "db.advisory_locks",
    subject: /advisory:72707369$/,
    async create({ app }) {
      await (await app("fault-dead-deploy")).query("SELECT pg_advisory_lock(72707369)");
    },
  },
  {
    name: "prepared transaction left open",
    check: "db.prepared_transactions",
    subject: /fault_gid/,
    async create({ sql }) {
      await sql.query("CREATE TABLE fault_ledger (id int PRIMARY KEY, amount int); INSERT INTO fault_ledger VALUES (1, 0)");
      // PREPARE TRANSACTION detaches the transaction from the session: it outlives it, holding its locks.
      await sql.query("BEGIN; UPDATE fault_ledger SET amount = 1 WHERE id = 1; PREPARE TRANSACTION 'fault_gid'");
    },
  },
  {
    name: "forgotten replication slot retaining WAL",
    check: "db.replication_slots",
    subject: /fault_forgotten_slot/,
    async create({ sql }) {
      await sql.query("SELECT pg_create_physical_replication_slot('fault_forgotten_slot', true)");
      // WAL written after the slot's restart point, which it now keeps from being recycled.
      await sql.query("CREATE TABLE fault_wal AS SELECT generate_series(1, 20000) AS id; DROP TABLE fault_wal; SELECT pg_switch_wal()");
    },
  },
  {
    name: "triggers disabled (foreign keys no longer enforced)",
    check: "db.integrity_disabled",
    subject: /fault_shipments/,
    async create({ sql }) {
      await sql.query(`CREATE TABLE fault_customers (id int PRIMARY KEY);
        CREATE TABLE fault_shipments (id int PRIMARY KEY, customer_id int NOT NULL REFERENCES fault_customers (id));
        CREATE INDEX fault_shipments_customer_idx ON fault_shipments (customer_id);
        ALTER TABLE fault_shipments DISABLE TRIGGER ALL`);
    },
  },
  {
    name: "constraint added NOT VALID and never validated",
    check: "db.integrity_disabled",
    subject: /fault_amount_positive/,
    async create({ sql }) {
      await sql.query("CREATE TABLE fault_payments (id int PRIMARY KEY, amount int); INSERT INTO fault_payments VALUES (1, -5); ALTER TABLE fault_payments ADD CONSTRAINT fault_amount_positive CHECK (amount > 0) NOT VALID");
    },
  },
  {
    name: "foreign key without an index on the referencing column",
    check: "db.foreign_key_without_index",
    subject: /fault_order_lines/,
    async create({ sql }) {
      await sql.query(`CREATE TABLE fault_carts (id int PRIMARY KEY);
        CREATE TABLE fault_order_lines (id int PRIMARY KEY, cart_id int REFERENCES fault_carts (id))`);
    },
  },
  {
    name: "table without a primary key",
    check: "db.tables_without_primary_key",
    subject: /fault_audit_log/,
    async create({ sql }) {
      await sql.query("CREATE TABLE fault_audit_log (at timestamptz, entry text)");
    },
  },
  {
    name: "duplicate index",
    check: "db.duplicate_indexes",
    subject: /fault_visits_page_idx2/,
    async create({ sql }) {
      await sql.query("CREATE TABLE fault_visits (id int PRIMARY KEY, page int); CREATE INDEX fault_visits_page_idx ON fault_visits (page); CREATE INDEX fault_visits_page_idx2 ON fault_visits (page)");
    },
  },
  {
    name: "failed CREATE UNIQUE INDEX CONCURRENTLY in a Prisma migration",
    // One finding: the migration, with the invalid index it left and the steps in their order.
    check: "db.prisma_migrations_failed",
    subject: /fault_add_unique_email/,
    async create({ sql }) {
      await sql.query("CREATE TABLE fault_users (id int PRIMARY KEY, email text); INSERT INTO fault_users VALUES (1, 'a@example.com'), (2, 'a@example.com'), (3, 'b@example.com')");
      const error = await sql.query("CREATE UNIQUE INDEX CONCURRENTLY fault_users_email_key ON fault_users (email)").then(() => null, (err: Error) => err.message);
      await sql.query(PRISMA_MIGRATIONS_TABLE);
      await sql.query(
        `INSERT INTO _prisma_migrations (id, checksum, migration_name, started_at, applied_steps_count, logs)
         VALUES ('fault-1', 'c0ffee', '20261130090000_fault_add_unique_email', now() - interval '1 hour', 0, $1)`,
        [`A migration failed to apply. New migrations cannot be applied before the error is recovered from.\n\nMigration name: 20261130090000_fault_add_unique_email\n\nDatabase error code: 23505\n\nDatabase error:\nERROR: ${error}\n\n   0: sql_schema_connector::apply_migration::apply_script\n           with migration_name="20261130090000_fault_add_unique_email"`],
      );
    },
  },
];

/** What a healthy Prisma platform's database has besides its tables: a finished migration. */
export async function createHealthyPrismaHistory(url: string): Promise<void> {
  const sql = new pg.Client({ connectionString: url });
  await sql.connect();
  try {
    await sql.query(PRISMA_MIGRATIONS_TABLE);
    await sql.query(`INSERT INTO _prisma_migrations (id, checksum, migration_name, started_at, finished_at, applied_steps_count)
      VALUES ('init', 'c0ffee', '20261101000000_init', now() - interval '30 days', now() - interval '30 days', 1) ON CONFLICT DO NOTHING`);
  } finally {
    await sql.end();
  }
}

export interface InjectedFaults {
  /** Ends the fault sessions, rolls back the prepared transaction, drops the slot. */
  remove(): Promise<void>;
}

/** Creates the faults in the database (a superuser URL), for real, and waits until the
 * statistics have seen them and the sessions are past the thresholds above. */
export async function injectDatabaseFaults(url: string, faults: readonly DatabaseFault[] = DATABASE_FAULT_CATALOGUE): Promise<InjectedFaults> {
  const appUrl = await asAppRole(url);
  const sql = new pg.Client({ connectionString: url, application_name: "fault-maker" });
  await sql.connect();
  const sessions: pg.Client[] = [];
  const app = async (name: string) => {
    const client = new pg.Client({ connectionString: appUrl, application_name: name });
    client.on("error", () => {}); // fixes end these sessions on purpose
    await client.connect();
    sessions.push(client);
    return client;
  };
  const remove = async () => {
    await Promise.all(sessions.map((s) => s.end().catch(() => {})));
    await sql.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name LIKE 'fault-%' AND pid <> pg_backend_pid()").catch(() => {});
    await sql.query("SELECT gid FROM pg_prepared_xacts WHERE gid LIKE 'fault_%' AND database = current_database()").then(async ({ rows }) => {
      for (const { gid } of rows as { gid: string }[]) await sql.query(`ROLLBACK PREPARED ${sqlLiteral(gid)}`);
    });
    await sql.query("SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name LIKE 'fault_%'").catch(() => {});
    await sql.end();
  };
  try {
    for (const fault of faults) await fault.create({ sql, app });
    await sql.query("SELECT pg_stat_force_next_flush()");
    const changes = () => sql.query<{ n: string }>("SELECT coalesce(sum(n_mod_since_analyze), 0)::text AS n FROM pg_stat_user_tables WHERE relname = 'fault_orders'").then((r) => Number(r.rows[0]?.n));
    if (faults.some((f) => f.check === "db.stale_statistics")) await eventually(changes, (n) => n >= 5_000, 50);
    await sleep(1_500); // past the 1 s thresholds above
  } catch (err) {
    await remove();
    throw err;
  }
  return { remove };
}

/** Whether an issue is explained by one of the faults (its own finding or a consequence). */
export function explainedBy(faults: readonly DatabaseFault[], issue: { code: string; subject: string }): DatabaseFault | undefined {
  return faults.find((f) => [{ check: f.check, subject: f.subject }, ...(f.alsoReports ?? [])].some((r) => r.check === issue.code && r.subject.test(issue.subject)));
}
