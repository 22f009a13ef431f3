import { describe, expect, it } from "vitest";
import { createTestDatabase } from "../../../fixtures/test/databases";
import { createPrismaClient } from "../../db";
import { history } from "./history";
import { rollUpEndedRuns } from "./rollup";

describe("history rollup", () => {
  it("adds each ended run to the per-day figures once, and the history reads them", async () => {
    const prisma = createPrismaClient(await createTestDatabase());
    try {
      const run = (status: "completed" | "running") =>
        prisma.troubleshootingRun.create({ data: { trigger: "api", status, target: {}, targetKey: `k-${Math.random()}`, healthScoreAfter: 80 } });
      const ended = await run("completed");
      const active = await run("running");
      for (const [runId, severity] of [[ended.id, "high"], [ended.id, "high"], [ended.id, "low"], [active.id, "critical"]] as const) {
        await prisma.issue.create({ data: { runId, code: "web.slow_ttfb", domain: "web", severity, title: "t", description: "d", evidence: {}, detectedBy: "test" } });
      }
      await prisma.runEvent.create({ data: { runId: ended.id, seq: 1, phase: "diagnostics", type: "phase_completed", payload: { phase: "diagnostics", durationMs: 300 } } });
      await prisma.runEvent.create({ data: { runId: ended.id, seq: 2, phase: "diagnostics", type: "phase_completed", payload: { phase: "diagnostics", durationMs: 100 } } });

      expect(await rollUpEndedRuns(prisma, ended.id)).toBe(1);
      expect(await rollUpEndedRuns(prisma)).toBe(0); // nothing twice; the active run waits for its end
      const today = new Date().toISOString().slice(0, 10);
      const figures = await history(prisma, "24h");
      expect(figures.issuesPerDay).toEqual([{ day: today, critical: 0, high: 2, medium: 0, low: 1, info: 0 }]);
      expect(figures.topCodes).toEqual([]); // found in one run only: not recurring
      expect(figures.phases).toEqual([{ phase: "diagnostics", avgMs: 200, maxMs: 300, workingMs: 200, waitingMs: 0 }]);
      expect(figures.scores.map((s) => s.score)).toEqual([80]);

      await prisma.troubleshootingRun.update({ where: { id: active.id }, data: { status: "failed" } });
      expect(await rollUpEndedRuns(prisma)).toBe(1);
      expect((await history(prisma, "24h")).issuesPerDay[0]?.critical).toBe(1);
    } finally {
      await prisma.$disconnect();
    }
  });
});
