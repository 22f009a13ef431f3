// `npm run troubleshoot -- serve [--idle-minutes N] [--foreground] | serve --stop`: the resident
// CLI server. It keeps the store running and migrated, and one run worker (resident-worker.ts)
// with the code loaded, and listens on a unix socket in the store's data folder
// (<DATA_DIR>/resident/cli.sock, 0600 in a 0700 folder). A later `npm run troubleshoot -- …` on the
// same store and folder hands it the run (scripts/lib/resident-client.mjs) instead of starting
// node, the code and the store itself. One run at a time: a client that finds it busy runs
// one-shot. It stops after --idle-minutes (TROUBLESHOOT_SERVE_IDLE_MINUTES, default 15) without a
// run, on `serve --stop`, on SIGTERM/SIGINT, or when a client's code is newer than its own.
import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { chmodSync, mkdirSync, openSync, rmSync } from "node:fs";
import net from "node:net";
import path from "node:path";
import { Worker } from "node:worker_threads";
import { z } from "zod";
import { buildIdOf, readFrames, residentPaths, sendFrame, storeIdentity } from "../lib/resident-protocol.mjs";
import { isPortFree } from "../lib/embedded-postgres";
import { localConfig, startLocalDatabase } from "../lib/local-database";
import { applyMigrations } from "../lib/migrations";
import { numberOption, parseOptions } from "./args";
import { writeJsonError } from "./stdout";
import { EXIT } from "./exit-codes";
import { oneLine } from "./terminal";

export const SERVE_USAGE = `usage: npm run troubleshoot -- serve [--idle-minutes N] [--foreground]   keep a warm server for later runs
       npm run troubleshoot -- serve --stop                                 stop it

  --idle-minutes N   stop after N minutes without a run (default: TROUBLESHOOT_SERVE_IDLE_MINUTES or 15)
  --foreground       serve in this process (until idle, --stop or Ctrl-C) instead of in the background

Later \`npm run troubleshoot -- ...\` commands on the same store (DATABASE_URL, or DATA_DIR's
embedded database) from the same folder hand their run to it; TROUBLESHOOT_RESIDENT=0 runs one-shot.`;

/** What the server keeps of its caller's environment: where the store is, how to run node. Not
 * the target's settings or secrets: each run brings its own (and they leave with its worker). */
const KEPT_ENV = /^(PATH|HOME|USER|LOGNAME|SHELL|TMPDIR|TEMP|TMP|LANG|LC_\w+|TZ|NODE_OPTIONS|NODE_ENV|DATA_DIR|EMBEDDED_PG_PORT|DATABASE_URL|LOG_LEVEL|TROUBLESHOOT_SERVE_IDLE_MINUTES|TROUBLESHOOTER_BUNDLE_CACHE)$/;

/** A run worker's first message of its own: it is warm. */
const readyMessage = z.object({ t: z.literal("ready") });
/** A run worker's messages during its run (scripts/cli/resident-worker.ts), in the order it posted them. */
const workerMessage = z.discriminatedUnion("t", [
  z.object({ t: z.enum(["out", "err"]), d: z.string() }),
  z.object({ t: z.literal("answered"), code: z.number().int() }),
]);

const serveArgs = z.object({
  help: z.boolean().optional(),
  stop: z.boolean().optional(),
  foreground: z.boolean().optional(),
  "idle-minutes": numberOption(true).pipe(z.number().positive("must be more than 0").max(24 * 60, "at most 1440")).optional(),
  /** Accepted as for any command: serve prints nothing on stdout. */
  json: z.boolean().optional(),
});

const log = (line: string) => process.stderr.write(`[troubleshoot serve] ${oneLine(line)}\n`);

export async function serve(argv: string[]): Promise<number> {
  let options: z.infer<typeof serveArgs>;
  try {
    const { values } = parseOptions(argv, { stop: { type: "boolean" }, foreground: { type: "boolean" }, "idle-minutes": { type: "string" }, json: { type: "boolean" }, help: { type: "boolean", short: "h" } }, false);
    if (values.help) return void process.stdout.write(`${SERVE_USAGE}\n`), EXIT.clean;
    const parsed = serveArgs.safeParse(values);
    if (!parsed.success) throw new Error(parsed.error.issues.map((i) => `--${String(i.path[0])}: ${i.message}`).join("\n"));
    options = parsed.data;
    const starting = (["idle-minutes", "foreground"] as const).filter((o) => options.stop && options[o] !== undefined);
    if (starting.length) throw new Error(starting.map((o) => `--${o}: not with --stop (it is for starting a server)`).join("\n"));
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    process.stderr.write(`${message}\n\n${SERVE_USAGE}\n`);
    writeJsonError(argv, EXIT.usage, message);
    return EXIT.usage;
  }
  const paths = residentPaths(process.env, process.cwd());
  if (options.stop) return stop(paths.socket);
  const idleMinutes = options["idle-minutes"] ?? (z.coerce.number().positive().safeParse(process.env.TROUBLESHOOT_SERVE_IDLE_MINUTES).data || 15);
  if (await alive(paths.socket)) return log(`already running (${paths.socket})`), EXIT.clean;
  return options.foreground ? foreground(paths, idleMinutes) : background(paths, idleMinutes);
}

/** Starts the server as a process of its own and returns once it listens (or failed). */
async function background(paths: ReturnType<typeof residentPaths>, idleMinutes: number): Promise<number> {
  mkdirSync(paths.dir, { recursive: true, mode: 0o700 });
  chmodSync(paths.dir, 0o700);
  const out = openSync(paths.log, "a", 0o600);
  const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => KEPT_ENV.test(key)));
  // argv[1] is scripts/troubleshoot.ts (launch.mjs sets it): its launcher is beside it.
  const launcher = path.join(path.dirname(process.argv[1] ?? "scripts/troubleshoot.ts"), "lib/launch.mjs");
  const child: ChildProcess = spawn(process.execPath, [launcher, "scripts/troubleshoot.ts", "serve", "--foreground", "--idle-minutes", String(idleMinutes)], {
    detached: true,
    env: env as NodeJS.ProcessEnv,
    stdio: ["ignore", out, out, "ipc"],
  });
  const ready = await new Promise<boolean>((resolve) => {
    child.once("message", () => resolve(true));
    child.once("exit", () => resolve(false));
  });
  child.disconnect?.();
  child.unref();
  if (!ready) return log(`the server did not start; see ${paths.log}`), EXIT.failed;
  log(`ready on ${paths.socket} (stops after ${idleMinutes} idle minutes, or with serve --stop)`);
  return EXIT.clean;
}

/** The server itself, in this process, until idle, stopped or signalled. */
async function foreground(paths: ReturnType<typeof residentPaths>, idleMinutes: number): Promise<number> {
  const bundleFile = process.env.TROUBLESHOOTER_BUNDLE_FILE;
  const build = bundleFile ? buildIdOf(bundleFile) : null;
  if (!bundleFile || !build) return log("serve runs from the CLI's bundle (npm run troubleshoot -- serve)"), EXIT.usage;
  mkdirSync(paths.dir, { recursive: true, mode: 0o700 });
  chmodSync(paths.dir, 0o700);
  const identity = storeIdentity(process.env, process.cwd());
  // The store, as a one-shot run starts it, but once.
  const local = await localConfig();
  process.env.DATABASE_URL = local.databaseUrl;
  const postgres = await startLocalDatabase(local, log);
  await applyMigrations(local.databaseUrl);
  /** The embedded store still listens (another process may have started it, and stop it). */
  const storeUp = async () => !local.embedded || !(await isPortFree(local.port));
  // The workers' environment until a run brings its own: nothing but where node and the store are.
  const baseEnv = Object.fromEntries(Object.entries(process.env).filter(([key]) => KEPT_ENV.test(key) && key !== "DATABASE_URL"));
  const spawnWorker = () => {
    // The store's URL (with its password) goes to the thread only, not into its environment.
    const workerData = { residentWorker: true, storeUrl: local.databaseUrl };
    const worker = new Worker(bundleFile, { workerData, env: baseEnv, stdout: true, stderr: true, stdin: false });
    const ready = new Promise<Worker | null>((resolve) => {
      // Not any message: output the worker writes while it loads is a message too.
      const onMessage = (m: unknown) => {
        if (!readyMessage.safeParse(m).success) return;
        worker.off("message", onMessage);
        resolve(worker);
      };
      worker.on("message", onMessage);
      worker.once("exit", () => resolve(null));
      worker.once("error", (err) => {
        log(`run worker failed: ${err.message}`);
        resolve(null);
      });
    });
    return ready;
  };
  let spare = spawnWorker();
  /** Workers of answered runs, until they exit (they finish the run's after-run steps). */
  const finishing = new Set<Promise<number>>();
  let busy = false;
  let idle: NodeJS.Timeout | undefined;
  const server = net.createServer();
  /** Stops everything; `requester` (serve --stop) is answered once the store is down. */
  const shutdown = async (why: string, requester?: net.Socket) => {
    clearTimeout(idle);
    server.close();
    rmSync(paths.socket, { force: true });
    log(`stopping (${why})`);
    await stopWorker(await spare);
    // Runs already answered finish their after-run steps while the store is still up.
    await Promise.all(finishing);
    await postgres?.stop();
    await new Promise<void>((resolve) => (requester ? requester.end(resolve) : resolve()));
    process.exit(EXIT.clean);
  };
  const armIdle = () => {
    clearTimeout(idle);
    idle = setTimeout(() => void shutdown(`idle for ${idleMinutes} minutes`), idleMinutes * 60_000);
  };
  server.on("connection", (socket) => {
    socket.on("error", () => {});
    let started = false;
    readFrames(socket, (frame) => {
      if (frame.t === "stop") {
        void shutdown("serve --stop", socket);
      } else if (frame.t === "hello") {
        if (frame.identity !== identity) return refuse(socket, "another store or folder");
        if (frame.build !== build) {
          refuse(socket, "older code");
          return void shutdown("a client runs newer code");
        }
        if (busy) return refuse(socket, "busy");
        busy = true;
        clearTimeout(idle);
        void storeUp().then((up) => {
          if (up) return sendFrame(socket, { t: "accepted" });
          // The embedded store went away (a one-shot run that had started it stopped it): the
          // client starts it one-shot, and this server is of no use any more.
          refuse(socket, "store stopped");
          void shutdown("the embedded store stopped");
        });
      } else if (frame.t === "start" && busy && !started) {
        started = true;
        void runOne(socket, frame).finally(() => {
          busy = false;
          armIdle();
        });
      }
    });
    socket.on("close", () => {
      // Accepted but never started (the client went away): free the server.
      if (busy && !started) {
        busy = false;
        armIdle();
      }
    });
  });

  /** Hands one run to the warm worker, streams it back, and warms the next worker. Resolves once
   * the client has its exit code: the worker may still be finishing the run's after-run steps. */
  const runOne = async (socket: net.Socket, frame: Record<string, unknown>) => {
    const t0 = performance.now();
    const worker = await spare;
    const t1 = performance.now();
    spare = spawnWorker();
    if (!worker) {
      sendFrame(socket, { t: "err", d: "[troubleshoot] the resident server's run worker failed to start\n" });
      sendFrame(socket, { t: "exit", code: EXIT.failed });
      return void socket.end();
    }
    let answered = false;
    // Once the client is answered, what the worker still writes (its after-run steps' log lines,
    // which the add-on's log store keeps) goes nowhere: nothing of a run is in this server's log.
    const forward = (kind: "out" | "err") => (d: string) => {
      if (!answered) sendFrame(socket, { t: kind, d });
    };
    // What reaches the worker's own stdio (not its stdout and stderr, which are messages): console.*.
    const streamed = Promise.all([pipe(worker.stdout, forward("out")), pipe(worker.stderr, forward("err"))]);
    const onClientFrame = (next: Record<string, unknown>) => next.t === "signal" && worker.postMessage({ t: "signal" });
    readFrames(socket, onClientFrame);
    // A client that leaves mid-run (killed, Ctrl-C twice) cancels it, as SIGINT does a one-shot run.
    const onClose = () => worker.postMessage({ t: "signal" });
    socket.once("close", onClose);
    const exited = new Promise<number>((resolve) => worker.once("exit", resolve)).then(async (code) => (await streamed, code));
    finishing.add(exited);
    void exited.finally(() => finishing.delete(exited));
    worker.postMessage({ argv: frame.argv, env: frame.env, stderrTTY: frame.stderrTTY === true });
    // The worker posts its output, then {t:"answered"}; without it (it failed), its exit code.
    const code = await new Promise<number>((resolve) => {
      worker.on("message", (m: unknown) => {
        const parsed = workerMessage.safeParse(m);
        if (!parsed.success) return;
        if (parsed.data.t === "answered") resolve(parsed.data.code);
        else forward(parsed.data.t)(parsed.data.d);
      });
      void exited.then(resolve);
    });
    answered = true;
    // Timings only: nothing of the run (its arguments, environment, output) is logged.
    log(`run answered with exit code ${code} (waited ${Math.round(t1 - t0)} ms for a warm worker, ran ${Math.round(performance.now() - t1)} ms)`);
    socket.removeListener("close", onClose);
    sendFrame(socket, { t: "exit", code });
    socket.end();
  };

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(paths.socket, () => resolve());
  });
  chmodSync(paths.socket, 0o600);
  // Ready once the first run worker is: the first run must not wait for it either.
  await spare;
  armIdle();
  process.once("SIGTERM", () => void shutdown("SIGTERM"));
  process.once("SIGINT", () => void shutdown("SIGINT"));
  log(`listening on ${paths.socket} (pid ${process.pid}, stops after ${idleMinutes} idle minutes)`);
  process.send?.({ t: "ready" });
  process.disconnect?.();
  // Runs until shutdown() exits the process.
  return new Promise<number>(() => {});
}

function refuse(socket: net.Socket, reason: string): void {
  sendFrame(socket, { t: "refused", reason });
  socket.end();
}

/** Hands a worker's stream to `write` as text; resolves at its end. */
function pipe(stream: NodeJS.ReadableStream, write: (d: string) => void): Promise<void> {
  stream.setEncoding("utf8");
  stream.on("data", write);
  return new Promise((resolve) => stream.once("end", () => resolve()));
}

/** Whether a server listens on `socket` (a dead one's socket file is removed). */
function alive(socket: string): Promise<boolean> {
  return new Promise((resolve) => {
    const client = net.connect(socket);
    client.once("connect", () => {
      client.end();
      resolve(true);
    });
    client.once("error", (err: NodeJS.ErrnoException) => {
      if (err.code === "ECONNREFUSED") rmSync(socket, { force: true });
      resolve(false);
    });
  });
}

/** serve --stop: asks the server to stop and waits until it closed the socket. */
async function stop(socket: string): Promise<number> {
  if (!(await alive(socket))) return log("no resident server running"), EXIT.clean;
  await new Promise<void>((resolve) => {
    const client = net.connect(socket);
    client.once("connect", () => sendFrame(client, { t: "stop" }));
    client.once("close", () => resolve());
    client.once("error", () => resolve());
  });
  log("stopped");
  return EXIT.clean;
}

/** Asks an idle worker to close its store connections and end; ends it after 5 s if it has not. */
async function stopWorker(worker: Worker | null): Promise<void> {
  if (!worker) return;
  const exited = once(worker, "exit");
  worker.postMessage({ t: "stop" });
  const late = setTimeout(() => void worker.terminate(), 5_000);
  await exited;
  clearTimeout(late);
}
