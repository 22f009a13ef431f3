// `npm run troubleshoot -- [options]`: one run here and now (or queued for the worker with --enqueue).
import { ApiError } from "../../lib/api/errors";
import { env } from "../../lib/env";
import { type RunJob, openRunQueue } from "../../lib/queue/run-queue";
import { type NamedTarget, UnknownTargetError, openNamedTarget } from "../../lib/queue/named-target";
import { standaloneContext as addon } from "../../lib/standalone/context";
import { buildReport } from "../../lib/troubleshooting/queries/report";
import { cancelRun, decideAction } from "../../lib/troubleshooting/runs/run-control";
import { createRun, defaultTarget, executeRun, resumeRun } from "../../lib/troubleshooting/runs/run-service";
import type { CliArgs } from "./args";
import { EXIT } from "./exit-codes";
import { printOutcome } from "./output";
import { followRun } from "./progress";
import { type CommandContext, busyHint } from "./session";
import { type PendingFix, askDecisions } from "./prompt";
import { writeJson } from "./stdout";
import { oneLine } from "./terminal";

/** --endpoints as the run takes them: paths resolved against the base URL (as TARGET_ENDPOINTS'),
 * a trailing =STATUS dropped (the expected status is TARGET_ENDPOINTS' business). */
function endpointUrls(refs: string[] | undefined, baseUrl: string): string[] | undefined {
  return refs?.map((ref) => new URL(ref.replace(/=\d{3}$/, ""), baseUrl).toString());
}

export async function run(args: CliArgs, ctx: CommandContext): Promise<number> {
  const { log } = ctx;
  const engine = await addon.engine();
  const config = addon.config();
  let named: NamedTarget | undefined;
  if (args.target !== undefined) {
    try {
      named = await openNamedTarget(engine.deps.prisma, config, args.target, { browser: args["no-browser"] ? false : undefined });
    } catch (err) {
      if (!(err instanceof UnknownTargetError)) throw err;
      ctx.log(`--target: ${err.message}`);
      return EXIT.usage;
    }
  }
  const baseUrl = args["base-url"] ?? config.targetBaseUrl;
  const target =
    named?.target ??
    defaultTarget(config, {
      baseUrl,
      databaseUrl: args["database-url"],
      endpoints: endpointUrls(args.endpoints, baseUrl),
      pages: args.pages,
      browser: args["no-browser"] ? false : undefined,
    });
  let created;
  try {
    const domains = args.domains ?? named?.domains;
    created = await createRun(engine, { trigger: "cli", initialIssue: args.issue, domains, autoApprove: args["auto-approve"], targetId: named?.targetId ?? null }, target);
  } catch (err) {
    if (err instanceof ApiError && err.status === 409) return await busyHint(engine.deps.prisma, String(err.details?.runId), ctx, args["database-url"]), EXIT.targetBusy;
    throw err;
  }
  const { runId, config: runConfig } = created;
  const onSignal = () => void cancelRun(engine, runId, ctx.actor).catch(() => {});
  // Ctrl-C, and a SIGTERM (timeout(1), systemd, a CI job's end): the run is cancelled and its
  // report printed, rather than left running on its target until it goes stale. A second signal kills.
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  log(`run ${runId} on ${named ? `${named.name} (${target.baseUrl})` : target.baseUrl}`);
  const progress = followRun(engine.deps.prisma, runId, process.stderr.isTTY);
  try {
    await executeRun(engine, runId, runConfig);
    let report = await buildReport(engine.deps.prisma, runId);
    const interactive = process.stdin.isTTY && process.stderr.isTTY;
    while (report?.status === "awaiting_approval" && interactive) {
      await progress.stop(); // the prompt must not interleave with progress lines
      const pending = report.actions.filter((a) => a.status === "pending_approval");
      const decide = async (fix: PendingFix, decision: "approve" | "reject") => {
        try {
          return (await decideAction(engine, runId, ctx.actor, { actionId: fix.id, decision })).resume;
        } catch (err) {
          if (!(err instanceof ApiError)) throw err;
          log(`${oneLine(fix.code)}: ${err.message}`);
          return false;
        }
      };
      const cancel = () => cancelRun(engine, runId, ctx.actor).catch(() => {});
      const resume = await askDecisions(pending, { input: process.stdin, output: process.stderr, terminal: true }, decide, cancel);
      if (resume) await resumeRun(engine, runId);
      report = await buildReport(engine.deps.prisma, runId);
      if (!resume) break; // cancelled, or left undecided (the input ended): the report says which
    }
    await progress.stop();
    if (!report) return EXIT.failed;
    return await printOutcome(report, { ...ctx.output(engine.deps.prisma, args.json ?? false), databaseUrl: args["database-url"] });
  } finally {
    process.removeListener("SIGINT", onSignal);
    process.removeListener("SIGTERM", onSignal);
    await progress.stop();
  }
}

/** --enqueue: the run goes on the queue for `npm run worker` (lib/queue/run-queue.ts). */
export async function enqueue(args: CliArgs, ctx: CommandContext): Promise<number> {
  const queue = await openRunQueue(env());
  try {
    const baseUrl = args["base-url"] ?? env().targetBaseUrl;
    const browser = args["no-browser"] ? false : undefined;
    // A stored target by name: the job carries no secret of it (the worker opens it from the store).
    const target: RunJob["target"] = args.target ?? {
      baseUrl,
      databaseUrl: args["database-url"] ?? env().TARGET_DATABASE_URL,
      endpoints: endpointUrls(args.endpoints, baseUrl),
      pages: args.pages,
      browser,
    };
    let jobId: string | null;
    try {
      jobId = await queue.enqueue(typeof target === "string" ? { target, browser, trigger: "cli", initialIssue: args.issue } : { target, trigger: "cli", initialIssue: args.issue });
    } catch (err) {
      if (!(err instanceof UnknownTargetError)) throw err;
      ctx.log(`--target: ${err.message}`);
      return EXIT.usage;
    }
    if (!jobId) ctx.log(`a run on ${typeof target === "string" ? target : target.baseUrl} is already queued`);
    if (args.json) writeJson({ jobId, queued: Boolean(jobId) });
    else process.stdout.write(`${jobId ?? "already queued"}\n`);
    return EXIT.clean;
  } finally {
    await queue.close();
  }
}
