// `npm start` / `npm run dev`: embedded PostgreSQL when DATABASE_URL is unset, migrations, first
// admin, build when missing, then Next.js on loopback (HOST exposes it). Ctrl-C stops Next and
// PostgreSQL cleanly.
import { z } from "zod";
import { EnvError, parseEnv } from "../lib/env";
import { localConfig, startLocalDatabase } from "./lib/local-database";
import { buildNext, hasBuild, listenOptions, runNext, stopChild, waitForPort } from "./lib/next-process";
import { prepareDatabase } from "./lib/prepare-database";

async function main() {
  const dev = process.argv.includes("--dev");
  const local = await localConfig();
  const childEnv: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: dev ? "development" : "production",
    DATABASE_URL: local.databaseUrl,
    AUTH_SECRET: process.env.AUTH_SECRET || local.state?.authSecret,
  };
  if (!childEnv.AUTH_URL) childEnv.AUTH_TRUST_HOST = "true";
  const env = parseEnv(childEnv); // a bad value stops here, before anything starts
  const listen = listenOptions(process.env);

  const postgres = await startLocalDatabase(local, log);
  const stopPostgres = async () => postgres?.stop();

  try {
    const { applied, createdAdmin, legacyNotice } = await prepareDatabase(env.DATABASE_URL, { email: env.ADMIN_EMAIL, password: env.ADMIN_PASSWORD });
    log(applied.length ? `applied migrations: ${applied.join(", ")}` : "database schema is up to date");
    if (legacyNotice) log(`note: ${legacyNotice}`);
    if (createdAdmin) {
      log(`created the first administrator: ${createdAdmin.email}`);
      if (createdAdmin.generated) log(`  generated password (shown once): ${createdAdmin.password}`);
    }
    if (!dev && !hasBuild()) {
      log("no build found: running next build (once)");
      await buildNext(childEnv);
    }
  } catch (err) {
    await stopPostgres();
    throw err;
  }

  const next = runNext([dev ? "dev" : "start", "--port", String(env.PORT), "--hostname", listen.host], childEnv);
  let stopping = false;
  const shutdown = async (code: number) => {
    if (stopping) return;
    stopping = true;
    log("stopping…");
    await stopChild(next);
    await stopPostgres();
    process.exit(code);
  };
  process.on("SIGINT", () => void shutdown(0));
  process.on("SIGTERM", () => void shutdown(0));
  next.on("exit", (code) => void shutdown(code ?? 1));

  await waitForPort(env.PORT, next, 120_000, listen.probeHost);
  // The local URL, never a network address: the first admin's password may be on screen above.
  log(`ready: ${listen.url(env.PORT)}/admin/troubleshooting`);
  if (listen.exposed) log(`listening on ${listen.host} (HOST): reachable from other machines`);
}

function log(line: string) {
  console.log(`[troubleshooter] ${line}`);
}

main().catch((err: unknown) => {
  if (err instanceof EnvError || err instanceof z.ZodError) {
    console.error(err instanceof EnvError ? err.message : `Invalid start options: ${z.prettifyError(err)}`);
  } else {
    console.error(`[troubleshooter] start failed: ${err instanceof Error ? err.message : String(err)}`);
  }
  process.exit(1);
});
