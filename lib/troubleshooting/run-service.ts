// Starting and driving runs. The run's truth is in Postgres (run row, events, checkpoints), so
// any process can resume or stream any run.
import { readFileSync } from "node:fs";
import path from "node:path";
import { Command } from "@langchain/langgraph";
import { ApiError } from "../api/errors";
import type { PrismaClient } from "../db";
import { env } from "../env";
import type { RunTrigger } from "../generated/prisma/enums";
import type { Target } from "./catalogue";
import type { Engine } from "./engine";
import { appendEvent } from "./events";
import { RunCancelledError } from "./nodes/phase";
import { approvalRequestSchema } from "./nodes/resolve";
import { redactDatabaseUrl } from "./probes/database";
import { ENDPOINT_PRESETS } from "./site/endpoints";
import { withLogContext } from "../monitoring/log-context";
import { logger } from "../monitoring/logger";
import { afterRunEnded } from "./run-ended";
import { sealTarget } from "./target-secrets";
import { ACTIVE_RUN_STATUSES, DOMAINS, type Domain } from "./report";
import type { AutoApprove, RunConfig } from "./state";


export interface StartRunInput {
  trigger: RunTrigger;
  initialIssue?: string | null;
  domains?: Domain[];
  autoApprove?: AutoApprove;
  requestedById?: string | null;
  target?: Partial<Target>;
}

export function defaultTarget(overrides: Partial<Target> = {}): Target {
  const config = env();
  const baseUrl = overrides.baseUrl ?? config.targetBaseUrl;
  const databaseUrl = overrides.databaseUrl ?? config.targetDatabaseUrl;
  const configured = config.TARGET_ENDPOINTS.map((e) => ({ url: new URL(e.ref, baseUrl).toString(), status: e.status }));
  const endpoints = [...new Set([...ENDPOINT_PRESETS[config.TARGET_ENDPOINTS_PRESET].map((p) => new URL(p, baseUrl).toString()), ...configured.map((e) => e.url)])];
  return {
    baseUrl,
    databaseUrl,
    endpoints: overrides.endpoints ?? endpoints,
    expectedStatus: overrides.expectedStatus ?? Object.fromEntries(configured.filter((e) => e.status).map((e) => [e.url, e.status as number])),
    pages: overrides.pages ?? config.TARGET_PAGES,
    crawlLimit: overrides.crawlLimit ?? config.TARGET_CRAWL_LIMIT,
    caCertificates: overrides.caCertificates ?? (config.TARGET_CA_FILE ? readFileSync(config.TARGET_CA_FILE, "utf8") : null),
    migrationsDir:
      overrides.migrationsDir ?? config.TARGET_MIGRATIONS_DIR ?? (databaseUrl === config.DATABASE_URL ? path.resolve("prisma/migrations") : null),
    browser: overrides.browser ?? true,
  };
}

/** Creates the run row, refusing (409) while another run on the same target is active. The
 * check and the insert happen under a transaction-scoped advisory lock on the target. */
export async function createRun(engine: Engine, input: StartRunInput, target: Target): Promise<{ runId: string; config: RunConfig }> {
  const database = redactDatabaseUrl(target.databaseUrl);
  const targetKey = `${new URL(target.baseUrl).origin}|${database.replace(/\/\/[^@]*@/, "//")}`;
  const config: RunConfig = {
    initialIssue: input.initialIssue?.trim() || null,
    domains: input.domains?.length ? [...new Set(input.domains)] : [...DOMAINS],
    autoApprove: input.autoApprove ?? "safe",
    target: sealTarget(target),
  };
  await markStaleRuns(engine.deps.prisma);
  const runId = await engine.deps.prisma.$transaction(async (tx) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${targetKey}))`;
    const active = await tx.troubleshootingRun.findFirst({ where: { targetKey, status: { in: [...ACTIVE_RUN_STATUSES] } }, select: { id: true } });
    if (active) throw new ApiError(409, "run_in_progress", "A troubleshooting run on this target is already in progress.", { runId: active.id });
    const run = await tx.troubleshootingRun.create({
      data: {
        trigger: input.trigger,
        initialIssue: config.initialIssue,
        requestedById: input.requestedById ?? null,
        target: { baseUrl: target.baseUrl, database, endpoints: target.endpoints },
        targetKey,
        config: { domains: config.domains, autoApprove: config.autoApprove, browser: target.browser },
        eventSeq: 1,
      },
    });
    // The run's first event is written with it, so a subscriber hears of the run at once.
    await tx.runEvent.create({
      data: { runId: run.id, seq: 1, phase: "initialization", type: "run_queued", payload: { trigger: input.trigger, domains: config.domains, autoApprove: config.autoApprove } },
    });
    return run.id;
  });
  return { runId, config };
}

const inFlight = new Map<string, AbortController>();

/** Runs the graph from the start until it ends or waits for approvals. Never throws. */
export function executeRun(engine: Engine, runId: string, config: RunConfig): Promise<void> {
  return drive(engine, runId, { runId, config });
}

/** Continues a run whose approvals are all decided (the decisions are in the action rows). */
export async function resumeRun(engine: Engine, runId: string): Promise<void> {
  const actions = await engine.deps.prisma.fixAction.findMany({ where: { runId, needsApproval: true }, select: { id: true, status: true } });
  const decisions = Object.fromEntries(actions.map((a) => [a.id, a.status === "rejected" ? "reject" : "approve"]));
  return drive(engine, runId, new Command({ resume: decisions }));
}

function drive(engine: Engine, runId: string, input: unknown): Promise<void> {
  return withLogContext({ runId }, () => driveGraph(engine, runId, input));
}

async function driveGraph(engine: Engine, runId: string, input: unknown): Promise<void> {
  const { prisma } = engine.deps;
  const controller = new AbortController();
  inFlight.set(runId, controller);
  const thread = { configurable: { thread_id: runId } };
  try {
    const claimed = await prisma.troubleshootingRun.updateMany({
      where: { id: runId, status: { in: ["queued", "running"] }, cancelRequested: false },
      data: { status: "running", heartbeatAt: new Date() },
    });
    if (claimed.count === 0) return; // cancelled (or ended) before it started
    await engine.graph.invoke(input as Parameters<Engine["graph"]["invoke"]>[0], { ...thread, signal: controller.signal, recursionLimit: 50 });
    const snapshot = await engine.graph.getState(thread);
    const request = snapshot.tasks.flatMap((task) => task.interrupts).map((i) => approvalRequestSchema.safeParse(i.value)).find((r) => r.success);
    if (request?.data) {
      const waiting = await prisma.troubleshootingRun.updateMany({ where: { id: runId, status: "running", cancelRequested: false }, data: { status: "awaiting_approval" } });
      if (waiting.count === 1) await appendEvent(prisma, runId, "resolution", "approval_required", { pending: request.data.pending });
      else await finish(engine.deps.prisma, runId, "cancelled", "cancelled by an administrator");
    }
  } catch (err) {
    const cancelled = err instanceof RunCancelledError || controller.signal.aborted;
    await finish(engine.deps.prisma, runId, cancelled ? "cancelled" : "failed", cancelled ? "cancelled by an administrator" : failureReason(err));
    if (!cancelled) logger().error({ component: "engine", error: err instanceof Error ? err.name : "error" }, "run failed");
  } finally {
    inFlight.delete(runId);
  }
}

/** Ends an active run (once: a run that already ended is left as it is). */
export async function finish(prisma: PrismaClient, runId: string, status: "failed" | "cancelled" | "interrupted", reason: string): Promise<void> {
  const run = await prisma.troubleshootingRun.findUnique({ where: { id: runId }, select: { startedAt: true } });
  const finishedAt = new Date();
  const ended = await prisma.troubleshootingRun.updateMany({
    where: { id: runId, status: { in: [...ACTIVE_RUN_STATUSES] } },
    data: { status, statusReason: reason, finishedAt, durationMs: run ? finishedAt.getTime() - run.startedAt.getTime() : null },
  });
  if (ended.count === 0) return;
  await prisma.fixAction.updateMany({ where: { runId, status: { in: ["planned", "pending_approval", "approved"] } }, data: { status: "skipped" } });
  const type = status === "failed" ? "run_failed" : status === "cancelled" ? "run_cancelled" : "run_interrupted";
  await appendEvent(prisma, runId, "final_report", type, { reason });
  await afterRunEnded(prisma, runId);
}

/** Stops an executing run in this process at once (other processes stop at their next node). */
export function abortInFlight(runId: string): void {
  inFlight.get(runId)?.abort();
}

function failureReason(err: unknown): string {
  if (err instanceof Error && err.name === "GraphRecursionError") return "the workflow looped (recursion limit)";
  return `the workflow stopped on an internal error (${err instanceof Error ? err.name : "error"}); see the server log`;
}

/** A run is executing only while its process lives: one whose heartbeat stopped long ago was cut
 * off by a restart or crash (or a serverless time limit). */
export const STALE_AFTER_MS = 5 * 60_000;

/** Marks such runs interrupted, with the reason, rather than leave them "running" (and blocking
 * their target). Called at server start and before each new run. */
export async function markStaleRuns(prisma: PrismaClient, staleAfterMs = STALE_AFTER_MS): Promise<string[]> {
  const stale = await prisma.troubleshootingRun.findMany({
    where: { status: { in: ["queued", "running"] }, heartbeatAt: { lt: new Date(Date.now() - staleAfterMs) } },
    select: { id: true },
  });
  for (const { id } of stale) {
    await finish(prisma, id, "interrupted", `no progress for ${Math.round(staleAfterMs / 60_000)} minutes: the server running it stopped (restart or crash); start a new run`);
  }
  return stale.map((r) => r.id);
}
