// npm run troubleshoot: one troubleshooting run from the command line, or a command on runs
// already made (scripts/cli/args.ts lists them; exit codes in scripts/cli/exit-codes.ts); or
// `serve`, the resident server that later commands hand their run to (scripts/cli/serve.ts).
// The same bundle is the resident server's run worker (scripts/cli/resident-worker.ts).
import { isMainThread, workerData } from "node:worker_threads";
import { runCli } from "./cli/main";

const argv = process.argv.slice(2);
const worker = !isMainThread && (workerData as { residentWorker?: boolean } | null)?.residentWorker === true;
const command = worker
  ? import("./cli/resident-worker").then((w) => w.residentWorker())
  : argv[0] === "serve"
    ? import("./cli/serve").then((s) => s.serve(argv.slice(1)))
    : runCli(argv);
command.then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`[troubleshoot] failed: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
