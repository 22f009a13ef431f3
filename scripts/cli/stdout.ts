// stdout with --json: exactly one JSON document, whatever happens. A command writes its result
// with writeJson; one that ends without it (bad arguments, a busy target, a refusal, a failure
// before any report) gets an error document from runCli instead, so `... --json | jq` always
// reads one document, and the exit status tells which kind.
import { EXIT_MEANINGS } from "./exit-codes";
import { terminalJson } from "./terminal";

let written = false;

/** Writes the command's JSON result on stdout. */
export function writeJson(value: unknown): void {
  process.stdout.write(`${terminalJson(value)}\n`);
  written = true;
}

/** Whether --json was given (before a `--`, after which arguments are not options). */
export function wantsJson(argv: string[]): boolean {
  const end = argv.indexOf("--");
  return (end === -1 ? argv : argv.slice(0, end)).includes("--json");
}

/** With --json, when nothing was written: {error: {exitCode, meaning, message?}} (the details are on stderr). */
export function writeJsonError(argv: string[], exitCode: number, message?: string): void {
  if (written || !wantsJson(argv) || exitCode === 0) return;
  writeJson({ error: { exitCode, meaning: EXIT_MEANINGS[exitCode] ?? "failed", ...(message ? { message } : {}) } });
}
