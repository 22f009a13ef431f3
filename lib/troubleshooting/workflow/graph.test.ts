// Graph mechanics with MemorySaver and in-memory catalogue entries (no network): conditional
// edges, the single interrupt for approvals, resume with Command, safe/none auto-approval, cancel.
import { Command, MemorySaver } from "@langchain/langgraph";
import { z } from "zod";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase } from "../../../fixtures/test/databases";
import { createPrismaClient, type PrismaClient } from "../../db";
import type { Check, FixActionDef } from "../catalogue";
import type { EngineDeps } from "./deps";
import { buildTroubleshootingGraph } from "./graph";
import { ruleReasoner } from "./reasoner";
import type { RunConfig } from "./state";

let prisma: PrismaClient;
const applied: string[] = [];

/** A check whose findings the test sets. */
function fakeCheck(code: string, domain: "web" | "database" | "network", findings: () => string[]): Check {
  return {
    code, domain, title: code, description: code,
    run: async () => {
      const subjects = findings();
      return subjects.length === 0
        ? { status: "passed" }
        : { status: "issues", issues: subjects.map((subject) => ({ severity: "high", title: `${code} ${subject}`, description: "", subject, evidence: { subject } })) };
    },
  };
}

function fakeFix(code: string, addresses: string, risk: FixActionDef["risk"], onApply: (subject: string) => void): FixActionDef<never> {
  const params = z.object({ subject: z.string() });
  const def: FixActionDef<{ subject: string }> = {
    code, domain: "database", title: code, description: code, addresses: [addresses], risk, params,
    plan: (issue) => ({ subject: String(issue.evidence.subject) }),
    describe: ({ subject }) => `${code} on ${subject}`,
    apply: async ({ subject }) => {
      applied.push(`${code}:${subject}`);
      onApply(subject);
      return { ok: true, detail: "done" };
    },
  };
  return def as unknown as FixActionDef<never>;
}

/** What invoke() returned about the pending interrupt, if any. */
function interruptsOf(result: unknown): { value: unknown }[] {
  return (result as { __interrupt__?: { value: unknown }[] }).__interrupt__ ?? [];
}

let locks: string[] = [];
let stale: string[] = [];

function deps(): EngineDeps {
  return {
    prisma,
    reasoner: ruleReasoner,
    settings: { checkTimeoutMs: 2_000, diagnosticTimeoutMs: 5_000, fixTimeoutMs: 2_000, breakerThreshold: 100, thresholdOverrides: {} },
    checks: [fakeCheck("db.fake_lock", "database", () => locks), fakeCheck("db.fake_stale", "database", () => stale)],
    fixes: [
      fakeFix("db.fake_kill", "db.fake_lock", "needs_approval", (s) => (locks = locks.filter((l) => l !== s))),
      fakeFix("db.fake_analyze", "db.fake_stale", "safe", (s) => (stale = stale.filter((l) => l !== s))),
    ],
  };
}

async function newRun(autoApprove: RunConfig["autoApprove"]) {
  const run = await prisma.troubleshootingRun.create({ data: { trigger: "api", target: { baseUrl: "http://127.0.0.1:9", database: "x", endpoints: [] }, targetKey: `k-${Math.random()}`, status: "running" } });
  const config: RunConfig = {
    initialIssue: null, domains: ["database"], autoApprove,
    target: { baseUrl: "http://127.0.0.1:9", databaseUrl: "postgresql://u:p@127.0.0.1:9/x", endpoints: [], browser: false },
  };
  return { runId: run.id, config, thread: { configurable: { thread_id: run.id } } };
}

beforeAll(async () => {
  prisma = createPrismaClient(await createTestDatabase());
});
afterAll(() => prisma.$disconnect());

describe("troubleshooting graph", () => {
  it("skips resolution and verification when nothing is found", async () => {
    locks = [];
    stale = [];
    const graph = buildTroubleshootingGraph(deps(), new MemorySaver());
    const { runId, config, thread } = await newRun("safe");
    const final = await graph.invoke({ runId, config }, thread);
    expect(final.issues).toEqual([]);
    const types = (await prisma.runEvent.findMany({ where: { runId }, orderBy: { seq: "asc" } })).map((e) => `${e.phase}:${e.type}`);
    expect(types).toContain("resolution:phase_skipped");
    expect(types).not.toContain("resolution:phase_started");
    expect(types.at(-1)).toBe("final_report:run_completed");
  });

  it("applies safe actions at once, asks once for all risky ones, and resumes with a decision map", async () => {
    locks = ["pid1", "pid2"];
    stale = ["orders"];
    applied.length = 0;
    const checkpointer = new MemorySaver();
    const { runId, config, thread } = await newRun("safe");
    const paused = await buildTroubleshootingGraph(deps(), checkpointer).invoke({ runId, config }, thread);
    expect(interruptsOf(paused)).toHaveLength(1);
    const request = interruptsOf(paused)[0]?.value as { pending: { code: string }[] };
    expect(request.pending.map((p) => p.code)).toEqual(["db.fake_kill", "db.fake_kill"]);
    expect(applied).toEqual(["db.fake_analyze:orders"]); // safe: no decision needed
    await new Promise((resolve) => setTimeout(resolve, 300)); // an admin takes a moment to decide

    const kills = await prisma.fixAction.findMany({ where: { runId, code: "db.fake_kill" }, orderBy: { createdAt: "asc" } });
    await prisma.fixAction.update({ where: { id: kills[0]!.id }, data: { status: "approved" } });
    await prisma.fixAction.update({ where: { id: kills[1]!.id }, data: { status: "rejected" } });
    // A fresh graph on the same checkpointer, as another process would build it.
    await buildTroubleshootingGraph(deps(), checkpointer).invoke(new Command({ resume: { [kills[0]!.id]: "approve", [kills[1]!.id]: "reject" } }), thread);

    expect(applied.sort()).toEqual(["db.fake_analyze:orders", "db.fake_kill:pid1"]);
    const issues = await prisma.issue.findMany({ where: { runId } });
    const status = Object.fromEntries(issues.map((i) => [(i.evidence as { subject: string }).subject, i.status]));
    expect(status).toEqual({ pid1: "resolved", pid2: "unresolved", orders: "resolved" });
    // The resolution phase lasts from its start, across the wait for a decision, not from its last node.
    const resolution = await prisma.runEvent.findMany({ where: { runId, phase: "resolution", type: { in: ["phase_started", "phase_completed"] } }, orderBy: { seq: "asc" } });
    expect(resolution.map((e) => e.type)).toEqual(["phase_started", "phase_completed"]);
    const span = resolution[1]!.createdAt.getTime() - resolution[0]!.createdAt.getTime();
    const durationMs = (resolution[1]!.payload as { durationMs: number }).durationMs;
    expect(durationMs).toBeGreaterThanOrEqual(300);
    expect(durationMs).toBeLessThanOrEqual(span);
  });

  it("with autoApprove none, even safe actions wait for a decision", async () => {
    locks = [];
    stale = ["events"];
    applied.length = 0;
    const { runId, config, thread } = await newRun("none");
    const paused = await buildTroubleshootingGraph(deps(), new MemorySaver()).invoke({ runId, config }, thread);
    expect((interruptsOf(paused)[0]?.value as { pending: { code: string }[] }).pending.map((p) => p.code)).toEqual(["db.fake_analyze"]);
    expect(applied).toEqual([]);
  });

  it("a cancelled run stops at the next node", async () => {
    locks = ["pid9"];
    stale = [];
    const { runId, config, thread } = await newRun("safe");
    await prisma.troubleshootingRun.update({ where: { id: runId }, data: { cancelRequested: true } });
    await expect(buildTroubleshootingGraph(deps(), new MemorySaver()).invoke({ runId, config }, thread)).rejects.toMatchObject({ name: "RunCancelledError" });
    expect(await prisma.issue.count({ where: { runId } })).toBe(0);
  });
});
