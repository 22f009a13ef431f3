// The run page's server render of an investigation still going on: the calls stored up to the
// event the stream starts after, none after it (the stream brings those), a malformed one left out.
import { describe, expect, it } from "vitest";
import { createTestDatabase } from "../../../fixtures/test/databases";
import { investigationRecord } from "../../../fixtures/test/investigation-record";
import { createPrismaClient } from "../../db";
import { appendEvent } from "../runs/events";
import { investigationSoFar } from "./investigation-events";

describe("investigationSoFar", () => {
  it("gives the started event and the calls up to the given seq, in order", async () => {
    const prisma = createPrismaClient(await createTestDatabase());
    try {
      const run = await prisma.troubleshootingRun.create({ data: { trigger: "api", status: "running", target: { baseUrl: "https://shop.example", database: "db", endpoints: [] }, targetKey: "k" } });
      const [t1, t2] = investigationRecord("i1").toolCalls;
      await appendEvent(prisma, run.id, "issue_prioritization", "investigation_started", { issueIds: ["i1"], model: "m", tools: ["issue_evidence"] });
      await appendEvent(prisma, run.id, "issue_prioritization", "investigation_tool_call", t1!);
      await appendEvent(prisma, run.id, "issue_prioritization", "investigation_tool_call", { id: "T9", tool: 3 });
      const upto = await appendEvent(prisma, run.id, "issue_prioritization", "phase_completed", {});
      await appendEvent(prisma, run.id, "issue_prioritization", "investigation_tool_call", t2!);
      const live = await investigationSoFar(prisma, run.id, upto);
      expect(live.started).toEqual({ issueIds: ["i1"], model: "m", tools: ["issue_evidence"] });
      expect(live.calls).toEqual([t1]);
      expect((await investigationSoFar(prisma, run.id, upto + 1)).calls.map((c) => c.id)).toEqual(["T1", "T2"]);
    } finally {
      await prisma.$disconnect();
    }
  });
});
