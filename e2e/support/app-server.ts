// A real app for e2e tests: a throwaway embedded PostgreSQL, migrated and seeded, and the built
// Next.js app served against it by `next start`.
import { mkdtemp } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { createUser } from "../../lib/auth/users";
import { createPrismaClient } from "../../lib/db";
import { type EmbeddedServer, freePort, startEmbeddedPostgres } from "../../scripts/lib/embedded-postgres";
import { runNext, stopChild, waitForPort } from "../../scripts/lib/next-process";
import { prepareDatabase } from "../../scripts/lib/prepare-database";
import { ADMIN, E2E_AUTH_SECRET, LOCKOUT, VIEWER } from "./users";

export interface AppServer {
  baseUrl: string;
  database: EmbeddedServer;
  stop(): Promise<void>;
}

export async function startAppServer(port: number, extraEnv: Record<string, string> = {}): Promise<AppServer> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "troubleshooter-e2e-"));
  const database = await startEmbeddedPostgres({
    dataDir: path.join(dir, "pg"),
    port: await freePort(),
    password: "e2e-db-password",
    database: "troubleshooter",
    persistent: false,
  });
  await prepareDatabase(database.url, ADMIN);
  const prisma = createPrismaClient(database.url);
  await createUser(prisma, { ...VIEWER, role: "VIEWER" });
  await createUser(prisma, { ...LOCKOUT, role: "VIEWER" });
  await prisma.$disconnect();

  const baseUrl = `http://localhost:${port}`;
  const next = runNext(
    ["start", "--port", String(port)],
    { ...process.env, NODE_ENV: "production", DATABASE_URL: database.url, AUTH_SECRET: E2E_AUTH_SECRET, AUTH_URL: baseUrl, LOG_LEVEL: "info", ...extraEnv },
    "pipe",
  );
  const output: string[] = [];
  next.stdout?.on("data", (chunk: Buffer) => output.push(chunk.toString()));
  next.stderr?.on("data", (chunk: Buffer) => output.push(chunk.toString()));
  try {
    await waitForPort(port, next, 60_000);
  } catch (err) {
    await database.stop();
    throw new Error(`${(err as Error).message}\n${output.join("")}`);
  }
  return {
    baseUrl,
    database,
    async stop() {
      await stopChild(next);
      await database.stop();
    },
  };
}
