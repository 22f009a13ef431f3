// npm run troubleshoot: one troubleshooting run from the command line, or a command on runs
// already made (scripts/cli/args.ts lists them; exit codes in scripts/cli/exit-codes.ts).
// stdout carries only what the flags promise (the report, the list, the job id); progress, hints
// and log lines go to stderr.
import { CHECKS } from "../lib/troubleshooting/checks";
import { FIX_ACTIONS } from "../lib/troubleshooting/fixes";
import { setLogDestination } from "../lib/monitoring/logger";
import { type CliArgs, type ControlArgs, USAGE, UsageError, parseCliArgs } from "./cli/args";
import { EXIT } from "./cli/exit-codes";
import { commandContext } from "./cli/session";
import { block, oneLine, terminalJson } from "./cli/terminal";
import { localConfig, startLocalDatabase } from "./lib/local-database";
import { applyMigrations } from "./lib/migrations";

async function main(): Promise<number> {
  let args: CliArgs | ControlArgs;
  try {
    args = parseCliArgs(process.argv.slice(2));
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    process.stderr.write(`${block(err.message, "")}\n\n${USAGE}\n`);
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
  const postgres = await startLocalDatabase(local, ctx.log);
  try {
    await applyMigrations(local.databaseUrl);
    // Imported after DATABASE_URL is set: the standalone instance reads the environment on first use.
    if (args.command) return await (await import("./cli/control")).control(args, ctx);
    const { enqueue, run } = await import("./cli/run");
    return args.enqueue ? await enqueue(args, ctx) : await run(args, ctx);
  } finally {
    await postgres?.stop();
  }
}

/** APPROVAL_EXPIRY_MINUTES, validated with the rest of the configuration (after DATABASE_URL is set). */
async function expiryMinutes(): Promise<number> {
  const { env } = await import("../lib/env");
  return env().APPROVAL_EXPIRY_MINUTES;
}

function listCatalogue(json: boolean): number {
  const checks = CHECKS.map(({ code, domain, title, description, thresholds }) => ({ code, domain, title, description, thresholds: thresholds ?? {} }));
  const actions = FIX_ACTIONS.map(({ code, domain, title, description, risk, addresses }) => ({ code, domain, title, description, risk, addresses }));
  if (json) process.stdout.write(`${terminalJson({ checks, actions })}\n`);
  else {
    process.stdout.write("Checks:\n" + checks.map((c) => `  ${c.code.padEnd(28)} ${c.description}`).join("\n") + "\n");
    process.stdout.write("Fix actions:\n" + actions.map((a) => `  ${a.code.padEnd(28)} [${a.risk}] ${a.description}`).join("\n") + "\n");
  }
  return EXIT.clean;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`[troubleshoot] failed: ${oneLine(err instanceof Error ? err.message : String(err))}\n`);
    process.exit(EXIT.failed);
  },
);
