// npm run troubleshoot: one troubleshooting run from the command line (see scripts/cli/args.ts).
import { createInterface } from "node:readline/promises";
import os from "node:os";
import { CHECKS } from "../lib/troubleshooting/checks";
import { FIX_ACTIONS } from "../lib/troubleshooting/fixes";
import { type CliArgs, USAGE, UsageError, parseCliArgs } from "./cli/args";
import { followRun } from "./cli/progress";
import { block, oneLine, terminalJson } from "./cli/terminal";
import { localConfig, startLocalDatabase } from "./lib/local-database";
import { applyMigrations } from "./lib/migrations";

async function main(): Promise<number> {
  let args: CliArgs;
  try {
    args = parseCliArgs(process.argv.slice(2));
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    process.stderr.write(`${block(err.message, "")}\n\n${USAGE}\n`);
    return 2;
  }
  if (args.help) return void process.stdout.write(`${USAGE}\n`), 0;
  if (args["list-checks"]) return listCatalogue(args.json ?? false);

  const local = await localConfig();
  process.env.DATABASE_URL = local.databaseUrl;
  process.env.AUTH_SECRET ||= local.state?.authSecret;
  // Log lines carry server messages and ids: made visible as a whole (they are the CLI's own text plus those).
  const log = (line: string) => process.stderr.write(`[troubleshoot] ${oneLine(line)}\n`);
  const postgres = await startLocalDatabase(local, log);
  try {
    await applyMigrations(local.databaseUrl);
    return args.enqueue ? await enqueue(args, log) : await run(args, log);
  } finally {
    await postgres?.stop();
  }
}

async function run(args: CliArgs, log: (line: string) => void): Promise<number> {
  // Imported after DATABASE_URL is set: the standalone instance reads the environment on first use.
  const { standaloneContext: addon } = await import("../lib/standalone/context");
  const { createRun, defaultTarget, executeRun, resumeRun } = await import("../lib/troubleshooting/runs/run-service");
  const { decideAction, cancelRun } = await import("../lib/troubleshooting/runs/run-control");
  const { buildReport } = await import("../lib/troubleshooting/queries/report");
  const { ApiError } = await import("../lib/api/errors");
  const engine = await addon.engine();
  const target = defaultTarget(addon.config(), {
    baseUrl: args["base-url"],
    databaseUrl: args["database-url"],
    endpoints: args.endpoints,
    pages: args.pages,
    browser: args["no-browser"] ? false : undefined,
  });
  let created;
  try {
    created = await createRun(engine, { trigger: "cli", initialIssue: args.issue, domains: args.domains, autoApprove: args["auto-approve"] }, target);
  } catch (err) {
    if (err instanceof ApiError && err.status === 409) return log(`${err.message} (run ${String(err.details?.runId)})`), 1;
    throw err;
  }
  const { runId, config } = created;
  const actor = { id: null, email: `cli:${os.userInfo().username}` };
  const onSignal = () => void cancelRun(engine, runId, actor).catch(() => {});
  process.once("SIGINT", onSignal);
  log(`run ${runId} on ${target.baseUrl}`);
  const progress = followRun(engine.deps.prisma, runId, process.stderr.isTTY);
  try {
    await executeRun(engine, runId, config);
    let report = await buildReport(engine.deps.prisma, runId);
    const interactive = process.stdin.isTTY && process.stderr.isTTY;
    while (report?.status === "awaiting_approval" && interactive) {
      await progress.stop(); // the prompt must not interleave with progress lines
      const rl = createInterface({ input: process.stdin, output: process.stderr });
      rl.once("SIGINT", () => {
        rl.close();
        onSignal();
      });
      let resume = false;
      for (const action of report.actions.filter((a) => a.status === "pending_approval")) {
        // The prompt shows the statement the fix runs (its describe()), with nothing in it obeyed by the terminal.
        const answer = await rl.question(`Approve ${oneLine(action.code)}? ${block(action.detail ?? "")} [y/N] `).catch(() => "n");
        const decision = /^y(es)?$/i.test(answer.trim()) ? "approve" : "reject";
        try {
          resume = (await decideAction(engine, runId, actor, { actionId: action.id, decision })).resume;
        } catch (err) {
          if (!(err instanceof ApiError)) throw err;
          log(`${action.code}: ${err.message}`);
        }
      }
      rl.close();
      if (resume) await resumeRun(engine, runId);
      report = await buildReport(engine.deps.prisma, runId);
    }
    await progress.stop();
    if (!report) return 1;
    if (report.status === "awaiting_approval") {
      log("fixes awaiting approval (approve them in the dashboard or run again on a terminal):");
      for (const a of report.actions.filter((x) => x.status === "pending_approval")) process.stderr.write(`[troubleshoot]   ${oneLine(a.id)} ${oneLine(a.code)}: ${block(a.detail)}\n`);
    }
    process.stdout.write(args.json ? `${terminalJson(report)}\n` : `${humanReport(report)}\n`);
    return report.status === "completed" || report.status === "awaiting_approval" ? 0 : 1;
  } finally {
    process.removeListener("SIGINT", onSignal);
    await progress.stop();
    await addon.close();
  }
}

/** --enqueue: the run goes on the queue for `npm run worker` (lib/queue/run-queue.ts). */
async function enqueue(args: CliArgs, log: (line: string) => void): Promise<number> {
  const { env } = await import("../lib/env");
  const { openRunQueue } = await import("../lib/queue/run-queue");
  const queue = await openRunQueue(env());
  try {
    const target = {
      baseUrl: args["base-url"] ?? env().targetBaseUrl,
      databaseUrl: args["database-url"] ?? env().TARGET_DATABASE_URL,
      endpoints: args.endpoints,
      pages: args.pages,
      browser: args["no-browser"] ? false : undefined,
    };
    const jobId = await queue.enqueue({ target, trigger: "cli", initialIssue: args.issue });
    if (!jobId) log(`a run on ${target.baseUrl} is already queued`);
    process.stdout.write(`${jobId ?? "already queued"}\n`);
    return 0;
  } finally {
    await queue.close();
  }
}

function humanReport(report: import("../lib/troubleshooting/report").RunReport): string {
  // Everything but the CLI's own words comes from the run (and so from the target): made visible.
  const lines = [
    `Run ${oneLine(report.runId)}: ${oneLine(report.status)}${report.statusReason ? ` (${oneLine(report.statusReason)})` : ""}`,
    `Health score: ${report.healthScore.before ?? "n/a"} → ${report.healthScore.after ?? "n/a"}`,
    block(report.summary, ""),
    ...report.checks.filter((c) => c.note).map((c) => block(c.note, "  ")),
    ...report.issues.map((i) => `  [${oneLine(i.severity)}] ${oneLine(i.title)} — ${oneLine(i.status)}`),
    ...report.actions.map((a) => `  fix ${oneLine(a.code)}: ${oneLine(a.status)}${a.verified ? " (verified)" : ""}`),
    ...(report.recommendations.length ? ["Recommendations:", ...report.recommendations.map((r) => `  - ${block(r)}`)] : []),
  ];
  return lines.join("\n");
}

function listCatalogue(json: boolean): number {
  const checks = CHECKS.map(({ code, domain, title, description, thresholds }) => ({ code, domain, title, description, thresholds: thresholds ?? {} }));
  const actions = FIX_ACTIONS.map(({ code, domain, title, description, risk, addresses }) => ({ code, domain, title, description, risk, addresses }));
  if (json) process.stdout.write(`${terminalJson({ checks, actions })}\n`);
  else {
    process.stdout.write("Checks:\n" + checks.map((c) => `  ${c.code.padEnd(28)} ${c.description}`).join("\n") + "\n");
    process.stdout.write("Fix actions:\n" + actions.map((a) => `  ${a.code.padEnd(28)} [${a.risk}] ${a.description}`).join("\n") + "\n");
  }
  return 0;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`[troubleshoot] failed: ${oneLine(err instanceof Error ? err.message : String(err))}\n`);
    process.exit(1);
  },
);
