// npm run examples: the five scenarios the original system shipped (full workflow, coordinator
// only, individual bots, monitoring, error handling), run against a fault-injecting site on
// loopback and a throwaway embedded PostgreSQL, printing what each showed.
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { freePort, startEmbeddedPostgres } from "./lib/embedded-postgres";
import { applyMigrations } from "./lib/migrations";
import { startFaultSite } from "../fixtures/test/fault-site";

const FAULTS = { missingHeaders: true, uncachedAssets: true, brokenLink: true, endpoint500: true };
const say = (line = "") => process.stdout.write(`${line}\n`);
const heading = (n: number, title: string) => say(`\n=== ${n}. ${title} ===`);

async function main(): Promise<void> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "troubleshooter-examples-"));
  const postgres = await startEmbeddedPostgres({ dataDir: path.join(dir, "pg"), port: await freePort(), password: "examples", database: "examples", persistent: false });
  const site = await startFaultSite({ faults: FAULTS });
  try {
    await applyMigrations(postgres.url);
    // The engine reads its settings from the environment on first use: set them before importing it.
    Object.assign(process.env, { DATABASE_URL: postgres.url, AUTH_SECRET: "examples-".repeat(4), TARGET_BASE_URL: site.url, LOG_LEVEL: "warn" });
    delete process.env.OPENAI_API_KEY;
    const { scenarios } = await import("./examples/scenarios");
    const down = `http://127.0.0.1:${await freePort()}`; // nothing listens there: a target that is down
    await scenarios({ say, heading, siteUrl: site.url, downUrl: down, exportDir: path.join(os.tmpdir(), "troubleshooter-examples"), faults: Object.keys(FAULTS) });
  } finally {
    await site.close();
    await postgres.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(`examples failed: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  },
);
