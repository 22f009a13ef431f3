// A run worker of the resident server (scripts/cli/serve.ts): a worker thread started from the
// CLI's own bundle *before* a run is asked for, which loads the code a run needs, opens the
// store's connections and then waits for one request: {argv, env, stderrTTY} (or {t:"stop"}). It
// runs it as scripts/troubleshoot.ts would (same stdout, stderr and exit code, both streams posted
// to the server as messages; the exit code is posted after the output, before the run's later
// after-run steps and the pools' closing) and exits: each run gets a fresh worker, so nothing of
// one run (its environment, credentials, caches, pools) is there for the next. The server keeps
// the next worker warm meanwhile.
import { once } from "node:events";
import { Writable } from "node:stream";
import { type MessagePort, parentPort, workerData } from "node:worker_threads";
import { z } from "zod";
import { logger, setLogDestination } from "../../lib/monitoring/logger";
import { deferAfterRunSteps } from "../../lib/troubleshooting/runs/run-ended";
import { EXIT } from "./exit-codes";
import { runCli } from "./main";

/** What the server gives each worker: the store it serves (its runs' store, by the store identity the server checked). */
const workerOptions = z.object({ storeUrl: z.string() });

const request = z.object({
  argv: z.array(z.string()),
  /** The client's environment, in place of this worker's: the run reads its configuration there. */
  env: z.record(z.string(), z.string()),
  /** Whether the client's stderr is a terminal (progress lines are drawn for one). */
  stderrTTY: z.boolean(),
});

/** Loads, waits for the run, runs it; its exit code (the worker's). */
export async function residentWorker(): Promise<number> {
  if (!parentPort) throw new Error("residentWorker: not a worker thread");
  const port = parentPort;
  // stdout and stderr are messages on the port, as the exit code is: the server forwards them in
  // the order they were written, and the code after them, with no round trip to flush them first.
  postWrites(process.stdout, port, "out");
  postWrites(process.stderr, port, "err");
  // As a one-shot run does before anything logs; the logger is created by the imports below.
  setLogDestination(process.stderr);
  // Loaded now, while no run waits: what a run or a command imports lazily. Module code reads
  // no configuration (that happens on first use, after the request's env is in place).
  await Promise.all([import("./run"), import("./control"), import("../../lib/env")]);
  await warmPrisma();
  await warmEngine();
  // The store's connections too: a new PostgreSQL backend costs a run tens of ms (measured: the
  // CLI's wall time 60 ms shorter). The run takes them if its configuration names this store.
  const { standaloneContext } = await import("../../lib/standalone/context");
  await standaloneContext.openStore(workerOptions.parse(workerData).storeUrl).catch(() => {}); // then the run connects, and reports what fails
  port.postMessage({ t: "ready" });
  const [message] = (await once(port, "message")) as [unknown];
  // The server stops: the connections close as a client's should, not cut off with the thread.
  if (z.object({ t: z.literal("stop") }).safeParse(message).success) {
    await standaloneContext.close();
    return EXIT.clean;
  }
  const { argv, env, stderrTTY } = request.parse(message);
  // A worker's process.env is its own copy: replacing it touches neither the server nor the next run.
  for (const key of Object.keys(process.env)) delete process.env[key];
  Object.assign(process.env, env);
  Object.defineProperty(process.stderr, "isTTY", { value: stderrTTY, configurable: true });
  // The logger was made before the run's LOG_LEVEL was known. A level pino does not know is the
  // run's configuration error, reported by the run as a one-shot run reports it.
  const level = process.env.LOG_LEVEL || "info";
  if (level in logger().levels.values) logger().level = level;
  // The client's Ctrl-C: what SIGINT does to a one-shot run (the run is cancelled).
  port.on("message", (m: unknown) => {
    if (z.object({ t: z.literal("signal") }).safeParse(m).success) process.emit("SIGINT");
  });
  // The client gets its exit code as soon as the output is all written: the run's later after-run
  // steps (history, samples, errors, alerts) and the closing of its pools go on here after it.
  deferAfterRunSteps();
  return runCli(argv, { storeReady: true, answered: (code) => port.postMessage({ t: "answered", code }) });
}

/** Makes `stream` post each write at once on `port` as {t, d} (its _writev, the hook a Writable
 * writes through), and be done with it. */
function postWrites(stream: NodeJS.WriteStream, port: MessagePort, t: "out" | "err"): void {
  (stream as Writable)._writev = (chunks, callback) => {
    port.postMessage({ t, d: chunks.map(({ chunk }) => String(chunk)).join("") });
    callback();
  };
}

/** Compiles Prisma's query compiler (WebAssembly, about 0.2 s), which the runtime then keeps for
 * every client of this worker, and runs its code paths once. A client of no database. */
async function warmPrisma(): Promise<void> {
  const { createPrismaClient } = await import("../../lib/db");
  // A socket in a folder that does not exist: a connection fails at once (ENOENT), never waits.
  const client = createPrismaClient("postgresql://warm-up@localhost/warm-up?host=/nonexistent/troubleshooter-warm-up");
  await client.$connect().catch(() => {});
  // One query of each kind a run makes, planned and then refused for want of a server: the first
  // queries of a fresh process otherwise cost a run tens of ms compiling the query compiler's and
  // the runtime's code paths (measured: the first findMany 67 ms, 12 ms after this). Nothing is
  // connected or written.
  const id = "warm-up";
  await Promise.allSettled([
    client.troubleshootingRun.findUnique({ where: { id }, include: { issues: { orderBy: { rank: "asc" } } } }),
    client.troubleshootingRun.findMany({ where: { heartbeatAt: { lt: new Date(0) }, status: { in: ["queued", "running"] } }, select: { id: true } }),
    client.troubleshootingRun.updateMany({ where: { id, status: "running" }, data: { heartbeatAt: new Date(0) } }),
    client.runEvent.create({ data: { runId: id, seq: 0, phase: "initialization", type: "run_queued", payload: {} } }),
    client.$transaction(async (tx) => tx.$executeRaw`SELECT ${id}`),
    client.$queryRaw`SELECT ${id}`,
  ]);
  await client.$disconnect().catch(() => {});
}

/** Runs, once, the code every run starts with (the configuration's schema, the graph's
 * compilation), so that V8 has compiled it before the run's clock starts. On a configuration of
 * no database and no secret: nothing is connected, nothing kept. */
async function warmEngine(): Promise<void> {
  const [{ parseEnv }, { depsFromConfig }, { buildTroubleshootingGraph }, { MemorySaver }, { createPrismaClient }] = await Promise.all([
    import("../../lib/env"),
    import("../../lib/troubleshooting/workflow/deps"),
    import("../../lib/troubleshooting/workflow/graph"),
    import("@langchain/langgraph"),
    import("../../lib/db"),
  ]);
  try {
    const config = parseEnv({ DATABASE_URL: "postgresql://warm-up@127.0.0.1:9/warm-up", AUTH_SECRET: "w".repeat(40), NODE_ENV: "production" });
    buildTroubleshootingGraph(depsFromConfig(config, createPrismaClient(config.DATABASE_URL)), new MemorySaver());
  } catch {
    // Only a warm-up: the run itself reports what is wrong with its configuration.
  }
}

