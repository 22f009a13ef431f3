// An ignored issue does not lower the score, and the report says it was ignored: two real runs of
// the engine against the same unreachable endpoint (the real net.endpoint_down check), the second
// after an admin ignored the issue the first one found.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase } from "../../fixtures/test/databases";
import { closeEngine, createTestEngine, testTarget } from "../../fixtures/test/engine";
import { startTargetServer } from "../../fixtures/test/target-server";
import { netEndpointDown } from "../troubleshooting/checks/network/endpoint-down";
import { reportToMarkdown } from "../troubleshooting/queries/markdown";
import { buildReport } from "../troubleshooting/queries/report";
import { runOutcome } from "../troubleshooting/report-view";
import { createRun, executeRun } from "../troubleshooting/runs/run-service";
import type { Engine } from "../troubleshooting/workflow/engine";
import { setIssueState } from "./set-state";

let engine: Engine;
let databaseUrl: string;
let closedPort: string;

beforeAll(async () => {
  databaseUrl = await createTestDatabase();
  engine = await createTestEngine(databaseUrl, { checks: [netEndpointDown], fixes: [] });
  // A port that was just listened on and is now closed: TCP connect is refused, the endpoint is down.
  const server = await startTargetServer();
  closedPort = server.url;
  await server.close();
});
afterAll(() => closeEngine(engine));

async function run() {
  const { runId, config } = await createRun(engine, { trigger: "api", domains: ["network"] }, testTarget(closedPort, databaseUrl));
  await executeRun(engine, runId, config);
  const report = await buildReport(engine.deps.prisma, runId);
  if (!report) throw new Error("no report");
  return report;
}

describe("an ignored issue", () => {
  it("no longer lowers the score, and the report lists it as ignored by whom and why, not as open", async () => {
    const first = await run();
    expect(first.status).toBe("completed");
    const finding = first.issues.find((i) => i.code === "net.endpoint_down");
    expect(finding?.group?.id).toBeTruthy();
    expect(first.healthScore.after).toBeLessThan(100);
    expect(runOutcome(first).text).toMatch(/1 issue open/);

    await setIssueState(engine.deps.prisma, finding!.group!.id!, { id: "u1", email: "ada@example.com" }, { state: "ignored", reason: "the old API is retired" });
    const second = await run();
    expect(second.issues.map((i) => i.code)).toEqual(first.issues.map((i) => i.code)); // the same findings
    expect(second.healthScore.after).toBe(100);
    expect(second.healthScore.before).toBe(100);
    expect(second.healthScore.after!).toBeGreaterThan(first.healthScore.after!);
    expect(second.issues[0]?.group).toMatchObject({ state: "ignored", ignored: { by: "ada@example.com", reason: "the old API is retired" } });
    expect(runOutcome(second).text).toBe("completed · 1 ignored");
    expect(second.summary).toContain("Besides, 1 ignored issue was seen again (ignored by an admin: not counted in the health score).");
    expect(second.advice).toEqual([]); // its advice is not the run's to give
    expect(first.advice?.length).toBeGreaterThan(0);
    const markdown = reportToMarkdown(second);
    expect(markdown).toContain("### Ignored (not counted in the health score)");
    expect(markdown).toContain("ignored by ada@example.com: the old API is retired");
    expect(markdown).toContain("No issues other than ignored ones.");
    // The first run's score counted it: its report does not claim it was left out.
    const firstAgain = await buildReport(engine.deps.prisma, first.runId);
    expect(firstAgain?.issues[0]?.group).toMatchObject({ state: "ignored", ignored: null });
    const group = await engine.deps.prisma.issueGroup.findUniqueOrThrow({ where: { id: finding!.group!.id! } });
    expect(group).toMatchObject({ state: "ignored", runCount: 2 });
  });
});
