// The database scripts work on: DATABASE_URL when set, otherwise the embedded server under .data/.
import { existsSync } from "node:fs";
import path from "node:path";
import { z } from "zod";
import { type EmbeddedServer, isPortFree, startEmbeddedPostgres } from "./embedded-postgres";
import { type LocalState, loadLocalState } from "./local-state";

const localOptions = z.object({
  DATA_DIR: z.string().default(".data"),
  EMBEDDED_PG_PORT: z.coerce.number().int().min(1).max(65535).default(5433),
});

export interface LocalConfig {
  dataDir: string;
  port: number;
  /** Generated secrets; null when DATABASE_URL and AUTH_SECRET are both provided. */
  state: LocalState | null;
  /** The URL to use: DATABASE_URL, or the embedded server's. */
  databaseUrl: string;
  embedded: boolean;
}

export async function localConfig(source: NodeJS.ProcessEnv = process.env): Promise<LocalConfig> {
  const options = localOptions.parse(source);
  const dataDir = path.resolve(options.DATA_DIR);
  const embedded = !source.DATABASE_URL;
  const state = embedded || !source.AUTH_SECRET ? await loadLocalState(dataDir) : null;
  const databaseUrl =
    source.DATABASE_URL ?? `postgresql://postgres:${state?.pgPassword}@127.0.0.1:${options.EMBEDDED_PG_PORT}/troubleshooter`;
  return { dataDir, port: options.EMBEDDED_PG_PORT, state, databaseUrl, embedded };
}

/** Starts the embedded server when the config calls for it; returns null otherwise, or when
 * `npm start` already runs it (then it is shared, and not stopped by this caller). */
export async function startLocalDatabase(config: LocalConfig, log: (line: string) => void): Promise<EmbeddedServer | null> {
  if (!config.embedded || !config.state) return null;
  const dataDir = path.join(config.dataDir, "postgres");
  if (existsSync(path.join(dataDir, "postmaster.pid")) && !(await isPortFree(config.port))) {
    log(`using the embedded PostgreSQL already running on port ${config.port}`);
    return null;
  }
  log(`starting embedded PostgreSQL on port ${config.port} (data in ${path.relative(process.cwd(), config.dataDir) || "."}/postgres)`);
  return startEmbeddedPostgres({
    dataDir,
    port: config.port,
    password: config.state.pgPassword,
    database: "troubleshooter",
  });
}
