// Resolution applies independent actions at once (bounded), never two on one subject at once, and
// each action once even when two processes resume the same approval. In-memory catalogue entries
// on a real database, the graph on MemorySaver; times are the ones the actions' results record.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { Command, MemorySaver } from "@langchain/langgraph";
import { z } from "zod";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase } from "../../../../fixtures/test/databases";
import { createPrismaClient, type PrismaClient } from "../../../db";
import type { Check, FixActionDef } from "../../catalogue";
import type { EngineDeps } from "../deps";
import { buildTroubleshootingGraph } from "../graph";
import { ruleReasoner } from "../reasoner";
import type { RunConfig } from "../state";
import { APPLY_CONCURRENCY } from "./resolve";
import { webWarmCache } from "../../fixes/web/warm-cache";
import { noEffect } from "../../fixes/effect";
import { buildReport } from "../../queries/report";

let prisma: PrismaClient;
const SLOW_MS = 400;
let findings: Record<string, string[]> = {};
let applies: string[] = [];

/** A check reporting one issue per table the test lists under its code. */
function tableCheck(code: string): Check {
  return {
    code, domain: "database", title: code, description: code,
    run: async () => {
      const tables = findings[code] ?? [];
      return tables.length === 0
        ? { status: "passed" }
        : { status: "issues", issues: tables.map((table) => ({ severity: "high" as const, title: `${code} ${table}`, description: "", subject: table, evidence: { schema: "public", table } })) };
    },
  };
}

/** A fix on one table that takes SLOW_MS and then clears its check's finding. */
function slowTableFix(code: string, addresses: string, risk: FixActionDef["risk"]): FixActionDef<never> {
  const params = z.object({ schema: z.string(), table: z.string() });
  const def: FixActionDef<z.infer<typeof params>> = {
    code, domain: "database", title: code, description: code, addresses: [addresses], risk, params,
    plan: (issue) => ({ schema: String(issue.evidence.schema), table: String(issue.evidence.table) }),
    describe: ({ table }) => `${code} on ${table}`,
    apply: async ({ table }) => {
      applies.push(`${code}:${table}`);
      await new Promise((resolve) => setTimeout(resolve, SLOW_MS));
      findings[addresses] = (findings[addresses] ?? []).filter((t) => t !== table);
      return { ok: true, detail: "done" };
    },
  };
  return def as unknown as FixActionDef<never>;
}

/** A safe fix that finds nothing to do (the session already ended, say): it says so. */
const noopFix = {
  ...slowTableFix("db.fake_noop", "db.fake_gone", "safe"),
  apply: async () => noEffect("the session had already ended; nothing cancelled", true),
} as FixActionDef<never>;

function deps(): EngineDeps {
  return {
    prisma,
    reasoner: ruleReasoner,
    settings: { checkTimeoutMs: 2_000, diagnosticTimeoutMs: 5_000, fixTimeoutMs: 5_000, breakerThreshold: 100, thresholdOverrides: {} },
    checks: [tableCheck("db.fake_bloat"), tableCheck("db.fake_stale"), tableCheck("db.fake_lock"), tableCheck("db.fake_gone")],
    fixes: [slowTableFix("db.fake_vacuum", "db.fake_bloat", "safe"), slowTableFix("db.fake_analyze", "db.fake_stale", "safe"), slowTableFix("db.fake_rebuild", "db.fake_lock", "needs_approval"), noopFix],
  };
}

async function newRun() {
  const run = await prisma.troubleshootingRun.create({ data: { trigger: "api", target: { baseUrl: "http://127.0.0.1:9", database: "x", endpoints: [] }, targetKey: `k-${Math.random()}`, status: "running" } });
  const config: RunConfig = {
    initialIssue: null, domains: ["database"], autoApprove: "safe",
    target: { baseUrl: "http://127.0.0.1:9", databaseUrl: "postgresql://u:p@127.0.0.1:9/x", endpoints: [], browser: false },
  };
  return { runId: run.id, config, thread: { configurable: { thread_id: run.id } } };
}

interface Timed {
  code: string;
  table: string;
  start: number;
  end: number;
}

/** Each applied action's recorded start and end (ms since the epoch). */
async function timesOf(runId: string): Promise<Timed[]> {
  const rows = await prisma.fixAction.findMany({ where: { runId, status: "applied" } });
  const recorded = z.object({ startedAt: z.iso.datetime(), endedAt: z.iso.datetime() });
  return rows.map((row) => {
    const { startedAt, endedAt } = recorded.parse(row.result);
    return { code: row.code, table: z.object({ table: z.string() }).parse(row.params).table, start: Date.parse(startedAt), end: Date.parse(endedAt) };
  });
}

const overlap = (a: Timed, b: Timed) => a.start < b.end && b.start < a.end;

beforeAll(async () => {
  prisma = createPrismaClient(await createTestDatabase());
});
afterAll(() => prisma.$disconnect());

describe("resolution", () => {
  it("applies independent actions at once, bounded, and actions on one table one after the other", async () => {
    // Six tables to vacuum (more than the bound) and one of them to analyze as well.
    const tables = ["t1", "t2", "t3", "t4", "t5", "t6"];
    findings = { "db.fake_bloat": [...tables], "db.fake_stale": ["t1"] };
    applies = [];
    const { runId, config, thread } = await newRun();
    await buildTroubleshootingGraph(deps(), new MemorySaver()).invoke({ runId, config }, thread);

    const times = await timesOf(runId);
    expect(times).toHaveLength(7);
    // About the slowest action's time, not the sum: the first APPLY_CONCURRENCY vacuums all overlap.
    const vacuums = times.filter((t) => t.code === "db.fake_vacuum").sort((a, b) => a.start - b.start);
    const first = vacuums.slice(0, APPLY_CONCURRENCY);
    expect(Math.max(...first.map((t) => t.start))).toBeLessThan(Math.min(...first.map((t) => t.end)));
    // Never more than the bound at once: at each start, count what is running.
    for (const t of times) expect(times.filter((o) => o.start <= t.start && t.start < o.end).length).toBeLessThanOrEqual(APPLY_CONCURRENCY);
    // Same table: VACUUM and ANALYZE of t1 never at once.
    const onT1 = times.filter((t) => t.table === "t1");
    expect(onT1.map((t) => t.code).sort()).toEqual(["db.fake_analyze", "db.fake_vacuum"]);
    expect(overlap(onT1[0] as Timed, onT1[1] as Timed)).toBe(false);
    // And the issues are verified as before.
    const statuses = await prisma.issue.findMany({ where: { runId }, select: { status: true } });
    expect(statuses.every((i) => i.status === "resolved")).toBe(true);
  });

  it("an apply that changed nothing is audited and announced as such, and reads 'no effect'", async () => {
    findings = { "db.fake_gone": ["t9"] };
    const { runId, config, thread } = await newRun();
    await buildTroubleshootingGraph(deps(), new MemorySaver()).invoke({ runId, config }, thread);
    const action = await prisma.fixAction.findFirstOrThrow({ where: { runId, code: "db.fake_noop" } });
    const audit = await prisma.auditLog.findFirst({ where: { targetType: "fix_action", targetId: action.id } });
    expect(audit?.action).toBe("fix.no_effect");
    const event = await prisma.runEvent.findFirst({ where: { runId, type: "action_applied" } });
    expect(event?.payload).toMatchObject({ code: "db.fake_noop", effect: "none" });
    expect((await buildReport(prisma, runId))?.actions.find((a) => a.id === action.id)?.status).toBe("no_effect");
  });

  it("applies an approved action once when two processes resume the same decision at once", async () => {
    findings = { "db.fake_lock": ["a", "b"] };
    applies = [];
    const checkpointer = new MemorySaver();
    const { runId, config, thread } = await newRun();
    const paused = await buildTroubleshootingGraph(deps(), checkpointer).invoke({ runId, config }, thread);
    const pending = (paused as { __interrupt__?: { value: { pending: { actionId: string }[] } }[] }).__interrupt__ ?? [];
    expect(pending).toHaveLength(1); // one interrupt for both actions
    const ids = pending[0]?.value.pending.map((p) => p.actionId) ?? [];
    expect(ids).toHaveLength(2);
    await prisma.fixAction.updateMany({ where: { id: { in: ids } }, data: { status: "approved" } });
    const decisions = Object.fromEntries(ids.map((id) => [id, "approve"]));
    // The later of the two finds the run already completed by the other and stops there.
    const resumed = await Promise.allSettled([
      buildTroubleshootingGraph(deps(), checkpointer).invoke(new Command({ resume: decisions }), thread),
      buildTroubleshootingGraph(deps(), checkpointer).invoke(new Command({ resume: decisions }), thread),
    ]);
    expect(resumed.some((r) => r.status === "fulfilled")).toBe(true);
    expect(applies.sort()).toEqual(["db.fake_rebuild:a", "db.fake_rebuild:b"]);
    const times = await timesOf(runId);
    expect(overlap(times[0] as Timed, times[1] as Timed)).toBe(true); // independent: at once
  });

  // Issue 18 item 7: a slow home page gets one warming for its TTFB and one for its LCP, both
  // GETs of the same URL; one after the other they were most of the all-faults run's resolution.
  it("applies two read-only actions on one URL at once", async () => {
    let inFlight = 0;
    let maxInFlight = 0;
    let requests = 0;
    const server = http.createServer((req, res) => {
      requests++;
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      setTimeout(() => {
        inFlight--;
        res.writeHead(200, { "content-type": "text/html" }).end("<!doctype html><title>slow</title>");
      }, 150);
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    /** A web check reporting the page slow (as web.slow_ttfb and web.slow_page_load do). */
    const slowPage = (code: string): Check => ({
      code, domain: "web", title: code, description: code,
      run: async () => ({ status: "issues", issues: [{ severity: "medium", title: `${code} /`, description: "", subject: url, evidence: { url, ...(code === "web.slow_ttfb" ? { thresholdMs: 800 } : {}) } }] }),
    });
    try {
      const { runId, config, thread } = await newRun();
      const web: RunConfig = { ...config, domains: ["web"], target: { ...config.target, baseUrl: url } };
      const engine: EngineDeps = { ...deps(), checks: [slowPage("web.slow_ttfb"), slowPage("web.slow_page_load")], fixes: [webWarmCache as unknown as FixActionDef<never>] };
      await buildTroubleshootingGraph(engine, new MemorySaver()).invoke({ runId, config: web }, thread);
      const rows = await prisma.fixAction.findMany({ where: { runId, code: "web.warm_cache" } });
      expect(rows).toHaveLength(2); // the same two actions as before, both applied
      expect(rows.map((r) => r.status)).toEqual(["applied", "applied"]);
      const recorded = z.object({ startedAt: z.iso.datetime(), endedAt: z.iso.datetime() });
      const [a, b] = rows.map((r) => recorded.parse(r.result)).map((t) => ({ start: Date.parse(t.startedAt), end: Date.parse(t.endedAt) }));
      expect(a && b && a.start < b.end && b.start < a.end).toBe(true);
      expect(maxInFlight).toBe(2); // the page saw both warmings at once
      expect(requests).toBeGreaterThanOrEqual(6); // and every request of each (3 apiece)
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });
});
