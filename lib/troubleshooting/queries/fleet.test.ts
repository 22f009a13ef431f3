// Per-target read models: the runs table of one target, paged by (startedAt, id) with a bounded
// total, and the fleet card's row for each target.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase } from "../../../fixtures/test/databases";
import { type PrismaClient, createPrismaClient } from "../../db";
import { fleetSummary } from "./fleet";
import { listRuns } from "./runs";

let prisma: PrismaClient;
beforeAll(async () => {
  prisma = createPrismaClient(await createTestDatabase());
});
afterAll(() => prisma.$disconnect());

const at = (minutes: number) => new Date(Date.UTC(2026, 10, 1, 12, minutes));

describe("per-target runs", () => {
  it("lists one target's runs only, named, paged by cursor without overlap; runs started at the same instant are all listed", async () => {
    const make = (targetKey: string, minute: number, status: "completed" | "failed" = "completed") =>
      prisma.troubleshootingRun.create({ data: { trigger: "api", status, target: { baseUrl: "https://a.example", database: "db:5432/a" }, targetKey, startedAt: at(minute), healthScoreAfter: 80 + minute } });
    const a = [];
    for (let i = 0; i < 5; i++) a.push(await make("A", i % 3)); // two pairs share a start time
    const b = await make("B", 10);
    const names = new Map([["A", "alpha"]]);
    const first = await listRuns(prisma, { targetKey: "A", page: 1, pageSize: 2 }, names);
    expect(first.total).toBe(5);
    expect(first.runs.map((r) => r.targetName)).toEqual(["alpha", "alpha"]);
    const seen = [...first.runs.map((r) => r.id)];
    let cursor = first.nextCursor;
    while (cursor) {
      const next = await listRuns(prisma, { targetKey: "A", cursor, page: 1, pageSize: 2 }, names);
      seen.push(...next.runs.map((r) => r.id));
      cursor = next.nextCursor;
    }
    expect(seen.sort()).toEqual(a.map((r) => r.id).sort());
    expect((await listRuns(prisma, { targetKey: "B", page: 1, pageSize: 20 })).runs.map((r) => [r.id, r.targetName])).toEqual([[b.id, null]]);
  });

  it("gives each target its latest run, its last score, waiting decisions and the open issues of that scored run", async () => {
    const scored = await prisma.troubleshootingRun.create({ data: { trigger: "api", status: "completed", target: {}, targetKey: "F", startedAt: at(20), healthScoreAfter: 71 } });
    await prisma.issue.createMany({ data: [
      { runId: scored.id, code: "web.broken_link", domain: "web", severity: "medium", title: "x", description: "x", detectedBy: "web", evidence: {}, status: "open" },
      { runId: scored.id, code: "web.slow", domain: "web", severity: "low", title: "y", description: "y", detectedBy: "web", evidence: {}, status: "resolved" },
    ] });
    const waiting = await prisma.troubleshootingRun.create({ data: { trigger: "api", status: "awaiting_approval", target: {}, targetKey: "F", startedAt: at(30) } });
    await prisma.fixAction.create({ data: { runId: waiting.id, code: "db.cancel_query", risk: "needs_approval", status: "pending_approval", needsApproval: true } });
    const [f, none] = await fleetSummary(prisma, ["F", "never"]);
    expect(f).toMatchObject({ targetKey: "F", latest: { id: waiting.id, status: "awaiting_approval" }, scored: { id: scored.id, score: 71, openIssues: 1 }, waitingDecisions: 1 });
    expect(none).toEqual({ targetKey: "never", latest: null, scored: null, waitingDecisions: 0 });
  });
});
