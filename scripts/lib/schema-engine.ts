// Prisma's schema engine, run from its WASM build (@prisma/schema-engine-wasm) because the native
// engine cannot be downloaded on every machine. It writes and applies the same
// prisma/migrations folder that `prisma migrate deploy` reads, so both paths stay compatible.
// The engine works in one PostgreSQL schema (the add-on's own, APP_SCHEMA, unless told otherwise):
// its `_prisma_migrations` table goes there, so a host's `public._prisma_migrations` is never read
// or written (prisma.config.ts points `prisma migrate deploy` at the same schema).
import { existsSync } from "node:fs";
import { readFile, readdir } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { pathToFileURL } from "node:url";
import pg from "pg";
import { PrismaPg } from "@prisma/adapter-pg";
import { ColumnTypeEnum, bindMigrationAwareSqlAdapterFactory } from "@prisma/driver-adapter-utils";
import type { SqlMigrationAwareDriverAdapterFactory } from "@prisma/driver-adapter-utils";
import type { MigrationList, SchemaEngine } from "@prisma/schema-engine-wasm";
import { APP_SCHEMA } from "../../lib/own-schemas";

/** The add-on's package root: the nearest folder above `from` with a package.json. Walked up to,
 * not computed: bundled (scripts/lib/launch.mjs), this module runs from
 * node_modules/.cache/troubleshooter/<command>/<build>/chunks/. */
export function packageRoot(from: string = import.meta.dirname): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, "package.json"))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`no package.json above ${from}`);
  }
}

// The add-on's own, wherever it is installed (a host runs its migrate from the host's folder,
// where prisma/migrations holds the host's migrations).
export const MIGRATIONS_DIR = path.join(packageRoot(), "prisma/migrations");
export const SCHEMA_FILE = path.join(packageRoot(), "prisma/schema.prisma");
export const NO_FILTERS = { externalTables: [], externalEnums: [] };

type EngineModule = typeof import("@prisma/schema-engine-wasm/schema_engine_bg") & {
  SchemaEngine: typeof SchemaEngine;
};

let enginePromise: Promise<EngineModule> | undefined;

/** Node 20 cannot import the package's entry (it imports .wasm as ESM): wire the glue by hand. */
function loadEngineModule(): Promise<EngineModule> {
  enginePromise ??= (async () => {
    // The WASM build reports a Rust panic through this global before it throws.
    Object.assign(globalThis, {
      PRISMA_WASM_PANIC_REGISTRY: { set_message: (message: string) => process.stderr.write(`schema engine panic: ${message}\n`) },
    });
    const require = createRequire(import.meta.url);
    const gluePath = require.resolve("@prisma/schema-engine-wasm/schema_engine_bg");
    const glue = (await import(pathToFileURL(gluePath).href)) as EngineModule;
    const bytes = await readFile(path.join(path.dirname(gluePath), "schema_engine_bg.wasm"));
    const { instance } = await WebAssembly.instantiate(bytes, { "./schema_engine_bg.js": glue });
    glue.__wbg_set_wasm(instance.exports);
    (instance.exports as { __wbindgen_start: () => void }).__wbindgen_start();
    return glue;
  })();
  return enginePromise;
}

/**
 * Opens an engine on `connectionString` working in PostgreSQL schema `schema` (created when
 * missing; `_prisma_migrations` lives there), runs `work`, then frees the engine and closes the
 * pool (engine.free() alone leaves the pool open, holding Prisma's advisory lock).
 */
export async function withSchemaEngine<T>(
  connectionString: string,
  work: (engine: SchemaEngine) => Promise<T>,
  schema: string = APP_SCHEMA,
): Promise<T> {
  const { SchemaEngine: Engine } = await loadEngineModule();
  // search_path as `prisma migrate deploy` sets it from `?schema=`: a statement that names no
  // schema lands in `schema` too, never in the host's `public`.
  const pool = new pg.Pool({ connectionString, max: 2, options: `-c search_path=${quoteIdent(schema)}` });
  try {
    await ensureSchema(pool, schema);
  } catch (err) {
    await pool.end();
    throw err;
  }
  const factory = migrationAwareFactory(pool, schema);
  const log = (line: string) => {
    if (process.env.LOG_LEVEL === "debug") process.stderr.write(`[schema-engine] ${line}\n`);
  };
  const engine = await Engine.new({ datamodels: undefined }, log, bindMigrationAwareSqlAdapterFactory(factory));
  try {
    return await work(engine);
  } finally {
    engine.free();
    await pool.end();
  }
}

/** Reads prisma/migrations the way the Prisma CLI does (folders sorted by name). */
export async function readMigrationsList(baseDir = MIGRATIONS_DIR): Promise<MigrationList> {
  const entries = await readdir(baseDir, { withFileTypes: true }).catch(() => []);
  const folders = entries.filter((e) => e.isDirectory()).map((e) => e.name).sort();
  const migrationDirectories = await Promise.all(
    folders.map(async (folder) => {
      const file = path.join(baseDir, folder, "migration.sql");
      const content = await readFile(file, "utf8").then(
        (ok) => ({ tag: "ok" as const, value: ok }),
        (err: Error) => ({ tag: "error" as const, value: err.message }),
      );
      return { path: folder, migrationFile: { path: "migration.sql", content } };
    }),
  );
  const lockPath = path.join(baseDir, "migration_lock.toml");
  const lockContent = await readFile(lockPath, "utf8").catch(() => null);
  return {
    baseDir,
    lockfile: { path: "migration_lock.toml", content: lockContent },
    shadowDbInitScript: "",
    migrationDirectories,
  };
}

/**
 * adapter-pg 7.10's own shadow database support connects to the main database when given a
 * connection string, drops the shadow before closing its pool, and cannot read Postgres' internal
 * "char" columns that schema introspection selects. This factory works around all three.
 */
function migrationAwareFactory(pool: pg.Pool, schema: string): SqlMigrationAwareDriverAdapterFactory {
  // The engine reads the schema it works in from the adapter's connection info.
  const main = new PrismaPg(pool, { schema });
  return {
    provider: main.provider,
    adapterName: main.adapterName,
    connect: () => main.connect(),
    async connectToShadowDb() {
      const database = `prisma_shadow_${crypto.randomUUID().replaceAll("-", "")}`;
      await pool.query(`CREATE DATABASE "${database}"`);
      const shadowPool = new pg.Pool({ ...discreteOptions(pool), database, max: 2, options: pool.options.options, Client: CharAsTextClient });
      const adapter = await new PrismaPg(shadowPool, { schema }).connect();
      const queryRaw = adapter.queryRaw.bind(adapter);
      adapter.queryRaw = async (query) => {
        const result = await queryRaw(query);
        for (const index of charColumns.get(result.rows) ?? []) result.columnTypes[index] = ColumnTypeEnum.Character;
        return result;
      };
      adapter.dispose = async () => {
        await shadowPool.end();
        await pool.query(`DROP DATABASE IF EXISTS "${database}"`);
      };
      return adapter;
    },
  };
}

/**
 * Creates `schema` when it is missing. Looked up first: CREATE SCHEMA IF NOT EXISTS still needs
 * the CREATE privilege on the database, which a deploy role may lack once the schema exists.
 */
async function ensureSchema(pool: pg.Pool, schema: string): Promise<void> {
  const { rowCount } = await pool.query("SELECT 1 FROM pg_namespace WHERE nspname = $1", [schema]);
  if (rowCount === 0) await pool.query(`CREATE SCHEMA IF NOT EXISTS ${quoteIdent(schema)}`);
}

/** A PostgreSQL identifier, double-quoted (schema names are constants or test input, never user input). */
function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

function discreteOptions(pool: pg.Pool): pg.PoolConfig {
  const url = new URL(pool.options.connectionString ?? "");
  return {
    host: url.hostname,
    port: Number(url.port || 5432),
    user: decodeURIComponent(url.username),
    password: decodeURIComponent(url.password),
  };
}

const CHAR_OID = 18;
const TEXT_OID = 25;
/** Result rows -> indexes of their "char" columns, for the adapter wrapper to restore. */
const charColumns = new WeakMap<object, number[]>();

/**
 * Reports "char" columns as text so that the adapter does not refuse them, and remembers where
 * they were so that the engine, which wants them typed as Character, gets them so.
 */
class CharAsTextClient extends pg.Client {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- pg's query has many overloads
  override query(...args: any[]): any {
    const fix = (result: pg.QueryResult | undefined) => {
      const indexes: number[] = [];
      result?.fields.forEach((field, index) => {
        if (field.dataTypeID !== CHAR_OID) return;
        field.dataTypeID = TEXT_OID;
        indexes.push(index);
      });
      if (result && indexes.length > 0) charColumns.set(result.rows, indexes);
      return result;
    };
    const last = args.at(-1);
    if (typeof last === "function") {
      args[args.length - 1] = (err: Error | null, result?: pg.QueryResult) => last(err, fix(result));
      return (super.query as (...a: unknown[]) => unknown)(...args);
    }
    const out = (super.query as (...a: unknown[]) => unknown)(...args);
    return out instanceof Promise ? out.then(fix) : out;
  }
}
