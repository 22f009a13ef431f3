// A real app for e2e tests: a throwaway embedded PostgreSQL, migrated and seeded, and the built
// Next.js app served against it by `next start`.
import type { ChildProcess } from "node:child_process";
import { once } from "node:events";
import { createWriteStream } from "node:fs";
import { mkdtemp } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { createUser } from "../../lib/standalone/auth/users";
import { createPrismaClient } from "../../lib/db";
import { type EmbeddedServer, freePort, isPortFree, startEmbeddedPostgres } from "../../scripts/lib/embedded-postgres";
import { runNext, stopChild, waitForPort } from "../../scripts/lib/next-process";
import { prepareDatabase } from "../../scripts/lib/prepare-database";
import { STANDALONE } from "./mount";
import { ADMIN, E2E_AUTH_SECRET, LOCKOUT, SESSION_RECHECK_SECONDS, VIEWER } from "./users";

export interface AppServer {
  baseUrl: string;
  database: EmbeddedServer;
  /** Everything the server printed (stdout and stderr), across restarts. */
  logFile: string;
  /** Kills the Next.js process (SIGKILL by default: no shutdown hook runs, as in a crash). */
  kill(signal?: NodeJS.Signals): Promise<void>;
  /** Starts Next.js again, on the same port and database. */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

export async function startAppServer(port: number, extraEnv: Record<string, string> = {}): Promise<AppServer> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "troubleshooter-e2e-"));
  const database = await startEmbeddedPostgres({
    dataDir: path.join(dir, "pg"),
    port: await freePort(),
    password: STANDALONE.databasePassword,
    database: "troubleshooter",
    persistent: false,
  });
  await prepareDatabase(database.url, ADMIN);
  const prisma = createPrismaClient(database.url);
  await createUser(prisma, { ...VIEWER, role: "VIEWER" });
  await createUser(prisma, { ...LOCKOUT, role: "VIEWER" });
  await prisma.$disconnect();

  const baseUrl = `http://localhost:${port}`;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: "production",
    DATABASE_URL: database.url,
    AUTH_SECRET: E2E_AUTH_SECRET,
    AUTH_URL: baseUrl,
    LOG_LEVEL: "info",
    // Sign-out and demotion are seen within this many seconds (60 in production): short, so the
    // security spec can wait out the window in a test.
    SESSION_RECHECK_SECONDS: String(SESSION_RECHECK_SECONDS),
    ...extraEnv,
  };
  const logFile = path.join(dir, "server.log");
  const launch = async (): Promise<ChildProcess> => {
    // waitForPort only sees that something answers: a server left over from an earlier run would
    // pass for this one, and every spec would test a stale app on another database.
    if (!(await isPortFree(port))) throw new Error(`port ${port} is already in use (a server left over from an earlier run?): stop it, or set E2E_PORT`);
    const next = runNext(["start", "--port", String(port)], env, "pipe");
    const output: string[] = [];
    const log = createWriteStream(logFile, { flags: "a" });
    next.on("exit", () => log.end());
    const keep = (chunk: Buffer) => {
      output.push(chunk.toString());
      if (output.length > 200) output.shift();
      log.write(chunk);
    };
    next.stdout?.on("data", keep);
    next.stderr?.on("data", keep);
    try {
      await waitForPort(port, next, 60_000);
    } catch (err) {
      throw new Error(`${(err as Error).message}\n${output.join("")}`);
    }
    return next;
  };
  let next: ChildProcess;
  try {
    next = await launch();
  } catch (err) {
    await database.stop();
    throw err;
  }
  return {
    baseUrl,
    database,
    logFile,
    async kill(signal = "SIGKILL") {
      if (next.exitCode !== null || next.signalCode !== null) return;
      const exited = once(next, "exit");
      next.kill(signal);
      await exited;
      // Nothing else may go on serving: a restart must not find the old server on the port.
      if (!(await isPortFree(port))) throw new Error(`port ${port} still served after Next.js was killed`);
    },
    async restart() {
      next = await launch();
    },
    async stop() {
      await stopChild(next);
      await database.stop();
    },
  };
}
