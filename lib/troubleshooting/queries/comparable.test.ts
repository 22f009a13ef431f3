import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase } from "../../../fixtures/test/databases";
import { createPrismaClient, type PrismaClient } from "../../db";
import { scopeLabel, scopeOf, targetLabel } from "./comparable";
import { history } from "./history";
import { overview } from "./overview";
import { groupRunIssues } from "../../issues/grouping";
import { rollUpEndedRuns } from "./rollup";

// Each test gets its own database: the overview and the history read every run in it.
let prisma: PrismaClient;
beforeAll(async () => {
  prisma = createPrismaClient(await createTestDatabase());
});
afterAll(() => prisma.$disconnect());

const SHOP = "https://shop.example|postgresql://db.example:5432/shop";
const BLOG = "https://blog.example|postgresql://db.example:5432/blog";
const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000);

async function run(targetKey: string, domains: string[] | null, score: number, startedAt: Date) {
  const byDomain = Object.fromEntries((domains ?? ["web", "database", "network"]).map((d) => [d, { before: score, after: score }]));
  return prisma.troubleshootingRun.create({
    data: { trigger: "api", status: "completed", target: {}, targetKey, config: domains ? { domains } : undefined, healthScoreAfter: score, healthByDomain: byDomain, startedAt, finishedAt: startedAt },
  });
}

async function finding(runId: string, code: string, subject: string) {
  await prisma.issue.create({ data: { runId, code, domain: "web", severity: "high", title: `${code} on ${subject}`, description: "d", evidence: { subject }, detectedBy: "test" } });
}

describe("like with like", () => {
  it("reads a run's scope from its config, and names scopes and targets", () => {
    expect(scopeOf({ domains: ["network", "web"] })).toEqual(["web", "network"]);
    expect(scopeOf(null)).toEqual(["web", "database", "network"]);
    expect(scopeLabel(["web"])).toBe("web-only");
    expect(scopeLabel(["web", "database", "network"])).toBe("full");
    expect(scopeLabel(["web", "network"])).toBe("web + network");
    expect(targetLabel(SHOP)).toBe("https://shop.example · shop");
  });

  it("two targets, a web-only run then a full run: no drop, no rise, each point its own; recurring counts distinct runs", async () => {
    // Shop: a full run (47), then a web-only run (0), then a full run (47), and a blog run in between.
    const first = await run(SHOP, ["web", "database", "network"], 47, minutesAgo(30));
    const blog = await run(BLOG, null, 95, minutesAgo(25));
    const webOnly = await run(SHOP, ["web"], 0, minutesAgo(6));
    const full = await run(SHOP, ["database", "network", "web"], 47, minutesAgo(3));

    // The web-only run has nothing comparable before it: no "▼ 47".
    await prisma.troubleshootingRun.update({ where: { id: full.id }, data: { status: "failed" } }); // hide the later run for a moment
    const afterWebOnly = (await overview(prisma)).health;
    expect(afterWebOnly).toMatchObject({ runId: webOnly.id, score: 0, trend: null, previous: null, scopeLabel: "web-only", target: "https://shop.example · shop" });
    expect(afterWebOnly?.byDomain).toEqual({ web: 0, database: null, network: null });
    await prisma.troubleshootingRun.update({ where: { id: full.id }, data: { status: "completed" } });

    // The full run compares with the full run before it on the same target (47), not 0, not the blog's 95.
    const health = (await overview(prisma)).health;
    expect(health).toMatchObject({ runId: full.id, trend: 0, scopeLabel: "full", previous: { runId: first.id, score: 47 } });

    // The same endpoint in two shop runs recurs; a code on two different endpoints, or on another
    // target, is not seen twice.
    await finding(first.id, "web.slow_ttfb", "https://shop.example/checkout");
    await finding(full.id, "web.slow_ttfb", "https://shop.example/checkout");
    await finding(full.id, "web.slow_ttfb", "https://shop.example/checkout"); // twice in one run: still one run
    await finding(webOnly.id, "web.server_error", "https://shop.example/a");
    await finding(full.id, "web.server_error", "https://shop.example/b");
    await finding(blog.id, "web.server_error", "https://shop.example/a");
    // Recurring issues are read from the issues across runs, grouped as each run ends.
    for (const r of [first, blog, webOnly, full]) await groupRunIssues(prisma, r.id);
    const { recurring } = await overview(prisma);
    expect(recurring.map((r) => [r.code, r.subject, r.target, r.runs])).toEqual([["web.slow_ttfb", "https://shop.example/checkout", "https://shop.example · shop", 2]]);

    await rollUpEndedRuns(prisma);
    const figures = await history(prisma, "24h");
    // Four runs, four points (two of them 3 minutes apart), in three series: shop full, shop web-only, blog.
    expect(figures.scores.map((p) => [p.runId, p.score, p.scopeLabel])).toEqual([
      [first.id, 47, "full"], [blog.id, 95, "full"], [webOnly.id, 0, "web-only"], [full.id, 47, "full"],
    ]);
    expect(new Set(figures.scores.map((p) => p.series)).size).toBe(3);
    expect(figures.scores[2]).toMatchObject({ web: 0, database: null, network: null });
    expect(figures.topCodes).toEqual([{ code: "web.slow_ttfb", subject: "https://shop.example/checkout", targetKey: SHOP, target: "https://shop.example · shop", issues: 3, runs: 2 }]);
  });

  it("splits the time spent waiting for approval from the working time, in phases and in resolution", async () => {
    const started = minutesAgo(90);
    const r = await prisma.troubleshootingRun.create({ data: { trigger: "api", status: "completed", target: {}, targetKey: `wait-${Date.now()}`, startedAt: started, finishedAt: minutesAgo(1) } });
    const at = (m: number) => new Date(started.getTime() + m * 60_000);
    let seq = 0;
    const event = (type: string, m: number, payload: Record<string, string | number> = {}) =>
      prisma.runEvent.create({ data: { runId: r.id, seq: ++seq, phase: "resolution", type, payload, createdAt: at(m) } });
    // Resolution: 2 minutes of work, 60 waiting for a person (a decision at 61), 2 more minutes of work.
    await event("phase_started", 0, { phase: "resolution" });
    await event("approval_required", 2);
    await event("action_decided", 40);
    await event("action_decided", 62);
    await event("action_applied", 62);
    await event("phase_completed", 64, { phase: "resolution", durationMs: 64 * 60_000 });
    const issue = await prisma.issue.create({ data: { runId: r.id, code: "db.long_running_query", domain: "database", severity: "high", title: "t", description: "d", evidence: {}, detectedBy: "test", createdAt: at(0) } });
    await prisma.fixAction.create({
      data: { runId: r.id, issueId: issue.id, code: "db.cancel_query", risk: "needs_approval", status: "applied", needsApproval: true, verified: true, createdAt: at(2), decidedAt: at(62), updatedAt: at(64) },
    });
    // updatedAt is set by Prisma on create: put it back to the moment of verification.
    await prisma.$executeRaw`UPDATE troubleshooter."FixAction" SET "updatedAt" = ${at(64)} WHERE "runId" = ${r.id}`;

    expect(await rollUpEndedRuns(prisma, r.id)).toBe(1);
    const figures = await history(prisma, "24h");
    const resolution = figures.phases.find((p) => p.phase === "resolution");
    expect(resolution).toEqual({ phase: "resolution", avgMs: 64 * 60_000, maxMs: 64 * 60_000, workingMs: 4 * 60_000, waitingMs: 60 * 60_000 });
    const day = figures.resolutionMinutes.find((d) => d.day === started.toISOString().slice(0, 10));
    expect(day).toEqual({ day: started.toISOString().slice(0, 10), minutes: 64, workingMinutes: 4, waitingMinutes: 60 });
  });
});
