// `npm run troubleshoot -- runs | show | approve | reject | cancel | resume | targets`: the run
// controls of the dashboard from a terminal, through the same service functions the API uses.
// Decisions, cancels and resumes are audited as the OS user (cli:<username>).
import { setTimeout as sleep } from "node:timers/promises";
import { z } from "zod";
import { ApiError } from "../../lib/api/errors";
import { standaloneContext as addon } from "../../lib/standalone/context";
import { buildReport } from "../../lib/troubleshooting/queries/report";
import { isActiveRun } from "../../lib/troubleshooting/report";
import { listRuns } from "../../lib/troubleshooting/queries/runs";
import { approvalsExpired } from "../../lib/troubleshooting/runs/approval-expiry";
import { cancelRun, decideAction } from "../../lib/troubleshooting/runs/run-control";
import { resumeInterruptedRun } from "../../lib/troubleshooting/runs/run-resume";
import { defaultTarget, resumeRun } from "../../lib/troubleshooting/runs/run-service";
import { openDatabaseUrl, sealTarget } from "../../lib/troubleshooting/runs/target-secrets";
import type { Engine } from "../../lib/troubleshooting/workflow/engine";
import type { ControlArgs } from "./args";
import { listTargets, rememberStoredTarget } from "./targets";
import { EXIT } from "./exit-codes";
import { printOutcome } from "./output";
import { followRun } from "./progress";
import type { CommandContext } from "./session";
import { writeJson } from "./stdout";
import { oneLine } from "./terminal";

export async function control(args: ControlArgs, ctx: CommandContext): Promise<number> {
  const engine = await addon.engine();
  // The run holds the target's database URL without its password: given again, this process can go on with it.
  if (args["database-url"]) sealTarget(defaultTarget(addon.config(), { databaseUrl: args["database-url"] }));
  // A run on a stored target: its database URL comes from the store (AUTH_SECRET opens it), not from the caller.
  else if (args.runId) await rememberStoredTarget(engine.deps.prisma, addon.config(), args.runId, ctx);
  // A decision or a resume goes on with the run here: refused before anything is recorded when
  // this process cannot open the run's database (a run cut off mid-fix would be the result).
  const goesOn = args.command === "approve" || args.command === "reject" || args.command === "resume";
  const unknownDatabase = args.runId ? await unknownRunDatabase(engine.deps.prisma, args.runId, addon.config().targetDatabaseUrl) : null;
  if (goesOn && unknownDatabase) {
    ctx.log(
      args["database-url"]
        ? `--database-url: not the database of run ${oneLine(args.runId ?? "")} (it was started on ${oneLine(unknownDatabase)})`
        : `--database-url: run ${oneLine(args.runId ?? "")} is on ${oneLine(unknownDatabase)} (given with --database-url or TARGET_DATABASE_URL), kept without its password: give it with --database-url, the password in place of ***`,
    );
    return EXIT.usage;
  }
  try {
    switch (args.command) {
      case "runs":
        return await listCommand(engine, args);
      case "show":
        // Its decision hint names the database to give again.
        return await showCommand(engine, { ...args, "database-url": args["database-url"] ?? unknownDatabase ?? undefined }, ctx);
      case "approve":
      case "reject":
        return await decideCommand(engine, args, ctx);
      case "cancel":
        await cancelRun(engine, runIdOf(args), ctx.actor);
        await untilStopped(engine, runIdOf(args), ctx);
        return await showCommand(engine, args, ctx);
      case "resume":
        return await resumeCommand(engine, args, ctx);
      case "targets":
        return await listTargets(engine.deps.prisma, addon.config(), args.json ?? false);
    }
  } catch (err) {
    if (!(err instanceof ApiError)) throw err;
    // Refused (no such run, not waiting, already decided): said once, with the run's state.
    ctx.log(`${args.command}: ${err.message}`);
    if (args.runId && (await approvalsExpired(engine.deps.prisma, args.runId))) {
      ctx.log(`run ${args.runId}: its fixes waited past APPROVAL_EXPIRY_MINUTES and were rejected as expired`);
      return EXIT.approvalExpired;
    }
    return EXIT.failed;
  }
}

const runIdOf = (args: ControlArgs) => args.runId as string; // parseCliArgs requires it for every command but runs

const CAN_GO_ON: string[] = ["awaiting_approval", "interrupted"];

/** The run's target database as the run keeps it (its password ***) when this process cannot open
 * it: the run was started with --database-url, whose password is not stored. null: it can (the
 * configured database, a URL given again, a stored target's), or the run cannot go on anyway (no
 * such run, or one that is not waiting for a decision or interrupted). */
async function unknownRunDatabase(prisma: Engine["deps"]["prisma"], runId: string, configuredUrl: string): Promise<string | null> {
  const run = await prisma.troubleshootingRun.findUnique({ where: { id: runId }, select: { target: true, targetId: true, status: true } });
  const database = z.object({ database: z.string() }).safeParse(run?.target).data?.database;
  // A run that has ended goes on nowhere: its commands are refused for that, and say so.
  if (!run || !CAN_GO_ON.includes(run.status) || run.targetId || !database || !URL.canParse(database)) return null;
  try {
    openDatabaseUrl(database, configuredUrl);
    return null;
  } catch {
    return database;
  }
}

async function listCommand(engine: Engine, args: ControlArgs): Promise<number> {
  const list = await listRuns(engine.deps.prisma, { status: args.status, page: 1, pageSize: args.limit });
  if (args.json) return writeJson(list), EXIT.clean;
  const rows = list.runs.map((r) => {
    const target = (r.target as { baseUrl?: unknown } | null)?.baseUrl;
    const score = r.healthScoreAfter ?? r.healthScoreBefore;
    return [r.id, r.status, r.trigger, r.startedAt.toISOString().replace(/\.\d{3}Z$/, "Z"), `${r.issueCount} issues`, score === null ? "score n/a" : `score ${score}`, oneLine(target ?? "")].join("  ");
  });
  process.stdout.write(`${rows.length ? rows.join("\n") : "no runs"}\n`);
  if (list.total > list.runs.length) process.stderr.write(`[troubleshoot] ${list.runs.length} of ${list.total} runs (--limit N, --status S)\n`);
  return EXIT.clean;
}

async function showCommand(engine: Engine, args: ControlArgs, ctx: CommandContext): Promise<number> {
  const report = await buildReport(engine.deps.prisma, runIdOf(args));
  if (!report) throw new ApiError(404, "not_found", "No such run.");
  return printOutcome(report, { ...ctx.output(engine.deps.prisma, args.json ?? false), databaseUrl: args["database-url"] });
}

async function decideCommand(engine: Engine, args: ControlArgs, ctx: CommandContext): Promise<number> {
  const runId = runIdOf(args);
  const decision = args.command === "approve" ? "approve" : "reject";
  const ids = args.all
    ? (await engine.deps.prisma.fixAction.findMany({ where: { runId, status: "pending_approval" }, select: { id: true }, orderBy: { createdAt: "asc" } })).map((a) => a.id)
    : args.actionIds;
  if (ids.length === 0) {
    // --all on a run with nothing pending: decideAction's checks say why (not waiting, expired...).
    const run = await engine.deps.prisma.troubleshootingRun.findUnique({ where: { id: runId }, select: { status: true } });
    if (!run) throw new ApiError(404, "not_found", "No such run.");
    throw new ApiError(409, "nothing_pending", `The run is ${run.status.replace("_", " ")}, with no fix waiting for a decision.`);
  }
  let resume = false;
  for (const actionId of ids) {
    resume = (await decideAction(engine, runId, ctx.actor, { actionId, decision, comment: args.comment })).resume;
    ctx.log(`${decision === "approve" ? "approved" : "rejected"} ${actionId} as ${ctx.actor.email}`);
  }
  if (resume) await following(engine, runId, () => resumeRun(engine, runId), ctx.actor);
  return showCommand(engine, args, ctx);
}

async function resumeCommand(engine: Engine, args: ControlArgs, ctx: CommandContext): Promise<number> {
  const runId = runIdOf(args);
  const resumed = await resumeInterruptedRun(engine, runId, ctx.actor);
  if (resumed.execute) await following(engine, runId, resumed.execute, ctx.actor);
  return showCommand(engine, args, ctx);
}

/** How long `cancel` waits for a run executing elsewhere to stop: it sees the cancel within a
 * heartbeat (10 s at most, run-status.ts) and then stops its work. */
const CANCEL_WAIT_MS = 30_000;

/** Waits until the cancelled run has ended (it executes in another process), so that `cancel`
 * exits with its outcome; says so when it has not stopped in time (then `show` tells). */
async function untilStopped(engine: Engine, runId: string, ctx: CommandContext): Promise<void> {
  const active = async () => {
    const run = await engine.deps.prisma.troubleshootingRun.findUnique({ where: { id: runId }, select: { status: true } });
    return run !== null && isActiveRun(run.status);
  };
  if (!(await active())) return;
  ctx.log(`run ${oneLine(runId)}: cancel requested; waiting for it to stop where it executes`);
  for (const deadline = Date.now() + CANCEL_WAIT_MS; Date.now() < deadline; ) {
    await sleep(250);
    if (!(await active())) return;
  }
  ctx.log(`run ${oneLine(runId)} has not stopped yet: it stops at its next step (\`show ${oneLine(runId)}\` tells)`);
}

/** Executes the rest of a run here, with its new events as progress lines on stderr. */
async function following(engine: Engine, runId: string, execute: () => Promise<void>, actor: CommandContext["actor"]): Promise<void> {
  const last = await engine.deps.prisma.runEvent.findFirst({ where: { runId }, orderBy: { seq: "desc" }, select: { seq: true } });
  const progress = followRun(engine.deps.prisma, runId, process.stderr.isTTY, last?.seq ?? 0);
  const onSignal = () => void cancelRun(engine, runId, actor).catch(() => {});
  process.once("SIGINT", onSignal);
  try {
    await execute();
  } finally {
    process.removeListener("SIGINT", onSignal);
    await progress.stop();
  }
}
