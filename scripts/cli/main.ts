// The CLI's commands, run once: by scripts/troubleshoot.ts (one-shot) or by a worker of the
// resident server (scripts/cli/serve.ts), which has started the store and migrated it already.
// stdout carries only what the flags promise (the report, the list, the job id); progress, hints
// and log lines go to stderr.
import { CHECKS } from "../../lib/troubleshooting/checks";
import { FIX_ACTIONS } from "../../lib/troubleshooting/fixes";
import { setLogDestination } from "../../lib/monitoring/logger";
import { scrubString } from "../../lib/monitoring/redact";
import { type CliArgs, type ControlArgs, USAGE, UsageError, parseCliArgs } from "./args";
import { EXIT } from "./exit-codes";
import { type CommandContext, commandContext } from "./session";
import { writeJson, writeJsonError } from "./stdout";
import { block } from "./terminal";
import { localConfig, startLocalDatabase } from "../lib/local-database";
import { applyMigrations } from "../lib/migrations";

export interface RunOptions {
  /** The resident server started the store (embedded or not) and applied the migrations. */
  storeReady?: boolean;
  /** Called with the exit code once the command has printed all it prints, before the add-on's
   * pools close (which waits for after-run steps a resident worker deferred). */
  answered?: (code: number) => void;
}

/** Runs the command `argv` names; its exit code (a failure is reported on stderr, exit 1). */
export async function runCli(argv: string[], options: RunOptions = {}): Promise<number> {
  try {
    return await main(argv, options);
  } catch (err) {
    // Scrubbed as a log line is: an unexpected error's message may quote a connection string.
    const message = scrubString(err instanceof Error ? err.message : String(err));
    // Continuation lines (a configuration's problems, one per line) indented under the first.
    process.stderr.write(`[troubleshoot] failed: ${block(message, "  ")}\n`);
    writeJsonError(argv, EXIT.failed, message);
    return EXIT.failed;
  }
}

async function main(argv: string[], options: RunOptions): Promise<number> {
  let args: CliArgs | ControlArgs;
  try {
    args = parseCliArgs(argv);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    process.stderr.write(`${block(err.message, "")}\n\n${USAGE}\n`);
    writeJsonError(argv, EXIT.usage, err.message);
    return EXIT.usage;
  }
  if (args.help) return void process.stdout.write(`${USAGE}\n`), EXIT.clean;
  if (!args.command && args["list-checks"]) return listCatalogue(args.json ?? false);
  // Before anything logs: the pino logger (run ended, queue errors...) writes to stderr here.
  setLogDestination(process.stderr);

  const ownDatabase = Boolean(process.env.DATABASE_URL);
  const local = await localConfig();
  process.env.DATABASE_URL = local.databaseUrl;
  process.env.AUTH_SECRET ||= local.state?.authSecret;
  const ctx = commandContext({ ownDatabase, expiryMinutes: await expiryMinutes() });
  const postgres = options.storeReady ? null : await startLocalDatabase(local, ctx.log);
  try {
    if (!options.storeReady) await applyMigrations(local.databaseUrl);
    // Imported after DATABASE_URL is set: the standalone instance reads the environment on first use.
    const { standaloneContext } = await import("../../lib/standalone/context");
    try {
      const code = await command(args, ctx);
      writeJsonError(argv, code); // before the answer: a resident client stops reading at it
      options.answered?.(code);
      return code;
    } finally {
      await standaloneContext.close();
    }
  } finally {
    await postgres?.stop();
  }
}

async function command(args: CliArgs | ControlArgs, ctx: CommandContext): Promise<number> {
  if (args.command) return (await import("./control")).control(args, ctx);
  const { enqueue, run } = await import("./run");
  return args.enqueue ? enqueue(args, ctx) : run(args, ctx);
}

/** APPROVAL_EXPIRY_MINUTES, validated with the rest of the configuration (after DATABASE_URL is set). */
async function expiryMinutes(): Promise<number> {
  const { env } = await import("../../lib/env");
  return env().APPROVAL_EXPIRY_MINUTES;
}

function listCatalogue(json: boolean): number {
  const checks = CHECKS.map(({ code, domain, title, description, thresholds }) => ({ code, domain, title, description, thresholds: thresholds ?? {} }));
  const actions = FIX_ACTIONS.map(({ code, domain, title, description, risk, addresses }) => ({ code, domain, title, description, risk, addresses }));
  if (json) writeJson({ checks, actions });
  else {
    process.stdout.write("Checks:\n" + checks.map((c) => `  ${c.code.padEnd(28)} ${c.description}`).join("\n") + "\n");
    process.stdout.write("Fix actions:\n" + actions.map((a) => `  ${a.code.padEnd(28)} [${a.risk}] ${a.description}`).join("\n") + "\n");
  }
  return EXIT.clean;
}

