import { describe, expect, it } from "vitest";
import { createTestDatabase } from "../../../fixtures/test/databases";
import { createPrismaClient } from "../../db";
import { databaseLabel } from "../../ui/target";
import { listRuns, runsAwaitingDecision } from "./runs";

describe("runs table read model", () => {
  it("gives each run its target (no credentials), its domains and its fixes waiting for a decision; lists the runs waiting for an admin", async () => {
    const prisma = createPrismaClient(await createTestDatabase());
    try {
      const target = { baseUrl: "https://shop.example", database: "postgresql://app:***@db.internal:5432/shop", endpoints: [] };
      const run = (status: "awaiting_approval" | "completed", config: unknown) =>
        prisma.troubleshootingRun.create({ data: { trigger: "api", status, target, targetKey: `k-${Math.random()}`, config: config as object } });
      const waiting = await run("awaiting_approval", { domains: ["database"], autoApprove: "none" });
      const done = await run("completed", null); // an older run without config: all domains
      for (const status of ["pending_approval", "pending_approval", "approved"] as const) {
        await prisma.fixAction.create({ data: { runId: waiting.id, code: "db.cancel_query", risk: "needs_approval", status, needsApproval: true } });
      }
      const { runs } = await listRuns(prisma, { page: 1, pageSize: 10 });
      expect(runs.find((r) => r.id === waiting.id)).toMatchObject({ domains: ["database"], pendingDecisions: 2, target: { baseUrl: "https://shop.example" } });
      expect(runs.find((r) => r.id === done.id)).toMatchObject({ domains: ["web", "database", "network"], pendingDecisions: 0 });
      expect(await runsAwaitingDecision(prisma)).toEqual([{ runId: waiting.id, pending: 2 }]);
      expect(databaseLabel(target.database)).toBe("db.internal:5432/shop");
      expect(databaseLabel("postgresql://app:s3cret@db.internal:5432/shop?sslmode=require")).toBe("db.internal:5432/shop");
    } finally {
      await prisma.$disconnect();
    }
  });
});
