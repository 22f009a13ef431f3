// Starting and driving runs. The run's truth is in Postgres (run row, events, checkpoints), so
// any process can resume or stream any run.
import { readFileSync } from "node:fs";
import { Command, INTERRUPT, type Interrupt, isInterrupted } from "@langchain/langgraph";
import { ApiError } from "../../api/errors";
import type { PrismaClient } from "../../db";
import type { Env } from "../../env";
import type { RunTrigger } from "../../generated/prisma/enums";
import type { Target } from "../catalogue";
import type { Engine } from "../workflow/engine";
import { isConnectionError, retryOnConnectionError } from "./db-retry";
import { appendEvent } from "./events";
import { RunCancelledError } from "../workflow/nodes/phase";
import { type ApprovalRequest, approvalRequestSchema } from "../workflow/nodes/resolve";
import { redactDatabaseUrl } from "../probes/database";
import { ENDPOINT_PRESETS } from "../site/endpoints";
import { withLogContext } from "../../monitoring/log-context";
import { logger } from "../../monitoring/logger";
import { STALE_AFTER_MS, abandonApplying, finish, markStaleRuns, startHeartbeat } from "./run-status";
import { type RunTargetSecrets, sealTarget, withRunTarget } from "./target-secrets";
import { openStoredTarget } from "../../targets/runtime";
import { expireApprovals } from "./approval-expiry";
import { DEFAULT_APPROVAL_EXPIRY_MINUTES } from "../../monitoring/alerts/approval";
import { ACTIVE_RUN_STATUSES, DOMAINS, type Domain, type Phase, phaseSchema } from "../report";
import type { AutoApprove, RunConfig } from "../workflow/state";

export interface StartRunInput {
  trigger: RunTrigger;
  initialIssue?: string | null;
  domains?: Domain[];
  autoApprove?: AutoApprove;
  /** The host's user who asked for the run (authorize()'s id and email), kept as text. */
  requestedById?: string | null;
  requestedByEmail?: string | null;
  target?: Partial<Target>;
  /** The stored target (model Target) the run is on; null or absent: the default target. */
  targetId?: string | null;
}

/** The configured target (a host's `target` option or TARGET_* variables), with `overrides` on top. */
export function defaultTarget(config: Env, overrides: Partial<Target> = {}): Target {
  const baseUrl = overrides.baseUrl ?? config.targetBaseUrl;
  const databaseUrl = overrides.databaseUrl ?? config.targetDatabaseUrl;
  const configured = config.TARGET_ENDPOINTS.map((e) => ({ url: new URL(e.ref, baseUrl).toString(), status: e.status }));
  const preset = ENDPOINT_PRESETS[config.TARGET_ENDPOINTS_PRESET].map((p) => new URL(p, baseUrl).toString()).filter((url) => !configured.some((e) => e.url === url));
  const endpoints = [...new Set([...preset, ...configured.map((e) => e.url)])];
  return {
    baseUrl,
    databaseUrl,
    endpoints: overrides.endpoints ?? endpoints,
    presetEndpoints: overrides.endpoints ? (overrides.presetEndpoints ?? []) : preset,
    expectedStatus: overrides.expectedStatus ?? Object.fromEntries(configured.filter((e) => e.status).map((e) => [e.url, e.status as number])),
    pages: overrides.pages ?? config.TARGET_PAGES,
    crawlLimit: overrides.crawlLimit ?? config.TARGET_CRAWL_LIMIT,
    caCertificates: overrides.caCertificates ?? (config.TARGET_CA_FILE ? readFileSync(config.TARGET_CA_FILE, "utf8") : null),
    // The add-on's own migrations are in its own schema, out of the diagnosis: the drift check
    // compares the target's folder only when one is configured.
    migrationsDir: overrides.migrationsDir ?? config.TARGET_MIGRATIONS_DIR ?? null,
    browser: overrides.browser ?? true,
  };
}

/** One key per target (site origin and database, no credentials): at most one active run each. */
export function targetKeyOf(target: Pick<Target, "baseUrl" | "databaseUrl">): string {
  return `${new URL(target.baseUrl).origin}|${redactDatabaseUrl(target.databaseUrl).replace(/\/\/[^@]*@/, "//")}`;
}

/** Creates the run row, refusing (409) while another run on the same target is active. The
 * check and the insert happen under a transaction-scoped advisory lock on the target. */
export async function createRun(engine: Engine, input: StartRunInput, target: Target): Promise<{ runId: string; config: RunConfig }> {
  const database = redactDatabaseUrl(target.databaseUrl);
  const targetKey = targetKeyOf(target);
  const config: RunConfig = {
    initialIssue: input.initialIssue?.trim() || null,
    domains: input.domains?.length ? [...new Set(input.domains)] : [...DOMAINS],
    autoApprove: input.autoApprove ?? "safe",
    target: sealTarget(target),
  };
  await markStaleRuns(engine.deps.prisma, engine.deps.settings.staleAfterMs, engine.deps.settings.alerts);
  // A run on this target left waiting past the approval expiry does not hold it: its approvals are
  // rejected as expired and it finishes here, before this run is created.
  const expiryMinutes = engine.deps.settings.alerts?.approvalExpiryMinutes ?? DEFAULT_APPROVAL_EXPIRY_MINUTES;
  for (const expired of await expireApprovals(engine.deps.prisma, { expiryMinutes, targetKey })) await resumeRun(engine, expired);
  const runId = await engine.deps.prisma.$transaction(async (tx) => {
    // Two keys, the first naming the add-on: in a host's database the host's own advisory locks
    // (one bigint key, or other namespaces) never collide with ours.
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('troubleshooter'), hashtext(${targetKey}))`;
    const active = await tx.troubleshootingRun.findFirst({ where: { targetKey, status: { in: [...ACTIVE_RUN_STATUSES] } }, select: { id: true } });
    if (active) throw new ApiError(409, "run_in_progress", "A troubleshooting run on this target is already in progress.", { runId: active.id });
    const run = await tx.troubleshootingRun.create({
      data: {
        trigger: input.trigger,
        initialIssue: config.initialIssue,
        requestedById: input.requestedById ?? null,
        requestedByEmail: input.requestedByEmail ?? null,
        target: { baseUrl: target.baseUrl, database, endpoints: target.endpoints },
        targetKey,
        targetId: input.targetId ?? null,
        // The expiry is the creating process's: the deadline the run announces holds whoever sweeps.
        config: { domains: config.domains, autoApprove: config.autoApprove, browser: target.browser, approvalExpiryMinutes: expiryMinutes },
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
  const claim = async () =>
    (await engine.deps.prisma.troubleshootingRun.updateMany({
      where: { id: runId, status: { in: ["queued", "running"] }, cancelRequested: false },
      data: { status: "running", heartbeatAt: new Date() },
    })).count === 1;
  return drive(engine, runId, { runId, config }, claim);
}

/** Continues a run whose approvals are all decided (the decisions are in the action rows). The
 * claim moves it out of awaiting_approval, so of two callers (two admins' last decisions, two
 * processes) only one resumes it. */
export async function resumeRun(engine: Engine, runId: string): Promise<void> {
  const { prisma } = engine.deps;
  const actions = await prisma.fixAction.findMany({ where: { runId, needsApproval: true }, select: { id: true, status: true } });
  if (actions.some((a) => a.status === "pending_approval")) return;
  const claim = async () =>
    (await prisma.troubleshootingRun.updateMany({ where: { id: runId, status: "awaiting_approval" }, data: { status: "running", heartbeatAt: new Date() } })).count === 1;
  return drive(engine, runId, new Command({ resume: decisionsOf(actions) }), claim);
}

/** The resume value of the approval interrupt: each action's decision, from its row. */
export function decisionsOf(actions: { id: string; status: string }[]): Record<string, "approve" | "reject"> {
  return Object.fromEntries(actions.map((a) => [a.id, a.status === "rejected" ? "reject" : "approve"]));
}

/** Drives a run the caller has already claimed (resuming an interrupted run). */
export function driveClaimed(engine: Engine, runId: string, input: unknown): Promise<void> {
  return drive(engine, runId, input, async () => true);
}

function drive(engine: Engine, runId: string, input: unknown, claim: () => Promise<boolean>): Promise<void> {
  return withLogContext({ runId }, () => driveGraph(engine, runId, input, claim));
}

/** Times a run goes on from its last checkpoint after the add-on's database dropped a connection. */
const MAX_RECONNECTS = 2;

async function driveGraph(engine: Engine, runId: string, input: unknown, claim: () => Promise<boolean>): Promise<void> {
  const { prisma, settings } = engine.deps;
  if (inFlight.has(runId)) return; // already executing in this process
  const controller = new AbortController();
  inFlight.set(runId, controller);
  const thread = { configurable: { thread_id: runId } };
  let heartbeat: { stop(): void } | undefined;
  try {
    if (!(await retryOnConnectionError(claim))) return; // cancelled, ended or taken by another caller
    heartbeat = startHeartbeat(prisma, runId, settings.staleAfterMs ?? STALE_AFTER_MS, () => controller.abort(new RunTakenOver()), () => controller.abort());
    // A run on a stored target opens its secrets here, in whichever process drives it.
    const storedSecrets = await retryOnConnectionError(() => storedTargetSecrets(prisma, runId, settings.targetSecret));
    let next = input;
    let output: unknown;
    for (let attempt = 0; ; attempt++) {
      try {
        const invoke = next as Parameters<Engine["graph"]["invoke"]>[0];
        output = await withRunTarget(storedSecrets, () => engine.graph.invoke(invoke, { ...thread, signal: controller.signal, recursionLimit: 50 }));
        break;
      } catch (err) {
        if (controller.signal.aborted || !isConnectionError(err) || attempt >= MAX_RECONNECTS) throw err;
        // Every completed step is in the checkpoint; the step that was cut off runs again.
        await abandonApplying(prisma, runId, "the add-on's database connection dropped");
        await appendEvent(prisma, runId, await currentPhase(prisma, runId), "run_resumed", { reason: "the add-on's database connection dropped; continued from the last checkpoint" });
        next = null;
      }
    }
    // invoke returns at the end of the graph or with what it is paused on: no need to read the
    // checkpoint back (getState) to tell which.
    const interrupts: Interrupt[] = isInterrupted(output) ? output[INTERRUPT] : [];
    const request = pendingApproval(interrupts);
    if (request) {
      const waiting = await retryOnConnectionError(() =>
        prisma.troubleshootingRun.updateMany({ where: { id: runId, status: "running", cancelRequested: false }, data: { status: "awaiting_approval" } }),
      );
      if (waiting.count === 1) await appendEvent(prisma, runId, "resolution", "approval_required", { pending: request.pending });
      else await finish(prisma, runId, "cancelled", await cancelReason(prisma, runId), engine.deps.settings.alerts);
    } else if (interrupts.length === 0) {
      // The report node completes the run; a graph that ended without it must not leave it running.
      await finish(prisma, runId, "failed", "the workflow ended without writing its report", engine.deps.settings.alerts);
    }
  } catch (err) {
    if (controller.signal.reason instanceof RunTakenOver) return; // its status already says what happened
    const cancelled = err instanceof RunCancelledError || controller.signal.aborted;
    // Its message and stack, scrubbed of secrets by the logger: the run's reason points here.
    if (!cancelled) logger().error({ component: "engine", error: err instanceof Error ? err.name : "error", detail: err instanceof Error ? err.message : String(err), stack: err instanceof Error ? err.stack : undefined }, "run failed");
    // If even this fails (the database is gone for good), the heartbeat has stopped: the run is
    // marked interrupted once stale, and can be resumed from its checkpoint.
    const reason = cancelled ? await cancelReason(prisma, runId).catch(() => "cancelled by an administrator") : failureReason(err);
    await finish(prisma, runId, cancelled ? "cancelled" : "failed", reason, engine.deps.settings.alerts).catch((finishErr: unknown) => {
      logger().error({ component: "engine", error: finishErr instanceof Error ? finishErr.name : "error" }, "could not record the end of a run");
    });
  } finally {
    heartbeat?.stop();
    inFlight.delete(runId);
  }
}

/** The run's stored target is gone, or its secrets cannot be opened here. Its message names no secret. */
class StoredTargetUnavailable extends Error {}

/** The secrets of the run's stored target (null for the default target), opened with the add-on's
 * secret. Only the database URL and the credentials bound to the target's origin leave here. */
async function storedTargetSecrets(prisma: PrismaClient, runId: string, secret: string | undefined): Promise<RunTargetSecrets | null> {
  const run = await prisma.troubleshootingRun.findUnique({ where: { id: runId }, select: { targetId: true } });
  if (!run?.targetId) return null;
  const row = await prisma.target.findUnique({ where: { id: run.targetId } });
  if (!row) throw new StoredTargetUnavailable("the run's stored target was deleted");
  if (!secret) throw new StoredTargetUnavailable("this process has no AUTH_SECRET to open the stored target's secrets");
  try {
    const opened = openStoredTarget(row, secret);
    return { databaseUrl: opened.target.databaseUrl, credentials: opened.credentials };
  } catch {
    throw new StoredTargetUnavailable(`the stored target "${row.name}"'s secrets cannot be opened (AUTH_SECRET changed?): set them again`);
  }
}

/** "cancelled by <who>", from the run's cancelledBy (run-control records the admin or CLI user). */
async function cancelReason(prisma: PrismaClient, runId: string): Promise<string> {
  const run = await prisma.troubleshootingRun.findUnique({ where: { id: runId }, select: { cancelledBy: true } });
  return `cancelled by ${run?.cancelledBy ?? "an administrator"}`;
}

/** The approval request among the interrupts a thread is paused on, if there is one. */
export function pendingApproval(interrupts: readonly Interrupt[]): ApprovalRequest | undefined {
  return interrupts.map((i) => approvalRequestSchema.safeParse(i.value)).find((r) => r.success)?.data;
}

/** The phase the run was in, for events about the run itself (its end and resumption aside). */
export async function currentPhase(prisma: PrismaClient, runId: string): Promise<Phase> {
  const last = await prisma.runEvent.findFirst({ where: { runId, type: { notIn: ["run_interrupted", "run_resumed"] } }, orderBy: { seq: "desc" }, select: { phase: true } });
  return phaseSchema.catch("initialization").parse(last?.phase);
}

/** Another process ended the run while this one still executed it. */
class RunTakenOver extends Error {}

/** Stops an executing run in this process at once (other processes stop at their next node). */
export function abortInFlight(runId: string): void {
  inFlight.get(runId)?.abort();
}

function failureReason(err: unknown): string {
  if (err instanceof StoredTargetUnavailable) return err.message;
  if (err instanceof Error && err.name === "GraphRecursionError") return "the workflow looped (recursion limit)";
  if (isConnectionError(err)) return `the add-on's database connection kept failing; see the log's "run failed" line`;
  return `the workflow stopped on an internal error (${err instanceof Error ? err.name : "error"}); see the log's "run failed" line`;
}
