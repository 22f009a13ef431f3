// The AI investigation on a whole run against the platform twin (a real `next build` app, real
// PostgreSQL) with faults on, the model being a scripted stand-in behind the loopback OpenAI stub:
// the real client, the subgraph, the tools and their guards run. Every claim that survives cites a
// tool result that succeeded, and what the model was sent holds none of the target's secrets.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeEngine, createTestEngine, TEST_SETTINGS } from "../../fixtures/test/engine";
import { type OpenAIStub, isInvestigator, startOpenAIStub } from "../../fixtures/test/openai-stub";
import { scriptedInvestigator } from "../../fixtures/test/scripted-investigator";
import { twinPerTest } from "../../fixtures/test/twin-harness";
import { twinTarget } from "../../fixtures/test/twin-truth";
import { parseEnv } from "../env";
import { buildReport } from "./queries/report";
import { runReportSchema } from "./report";
import { createRun, executeRun } from "./runs/run-service";
import { chatModelFromEnv } from "./workflow/reasoner";

const twins = twinPerTest();
let stub: OpenAIStub;
beforeAll(async () => {
  stub = await startOpenAIStub((req) => (isInvestigator(req) ? scriptedInvestigator(req) : { status: 500 }));
});
afterAll(() => stub.close());

describe("an investigation of the platform twin with faults", () => {
  it("calls read-only tools on the top issues and concludes with claims that each cite a tool result", async () => {
    const twin = await twins.start({ faults: ["page-500", "stack-trace", "debug-endpoints", "api-404"] });
    const env = parseEnv({ DATABASE_URL: twins.databaseUrl(), AUTH_SECRET: "s".repeat(32), OPENAI_API_KEY: "sk-test-investigation", OPENAI_BASE_URL: stub.baseUrl, OPENAI_MODEL: "scripted-investigator" });
    const engine = await createTestEngine(twins.databaseUrl(), {
      investigator: { load: chatModelFromEnv(env)!, name: "scripted-investigator" },
      settings: { ...TEST_SETTINGS, investigation: { maxIssues: 4, maxToolCalls: 14, maxTokens: 60_000, toolTimeoutMs: 5_000 } },
    });
    try {
      const target = twinTarget(twin.url, null, { databaseUrl: twins.databaseUrl(), browser: false });
      const { runId, config } = await createRun(engine, { trigger: "api" }, target);
      await executeRun(engine, runId, config);
      const report = runReportSchema.parse(await buildReport(engine.deps.prisma, runId));
      const investigation = report.investigation!;

      expect(report.status).toBe("completed");
      expect(investigation).toMatchObject({ status: "completed", model: "scripted-investigator" });
      expect(investigation.issueIds).toHaveLength(4);
      const okIds = new Set(investigation.toolCalls.filter((c) => c.status === "ok").map((c) => c.id));
      const tools = new Set(investigation.toolCalls.map((c) => c.tool));
      expect([...tools]).toEqual(expect.arrayContaining(["issue_evidence", "fetch_page"]));
      expect(investigation.claims.length).toBeGreaterThanOrEqual(3);
      const issueIds = new Set(report.issues.map((i) => i.id));
      for (const claim of investigation.claims) {
        expect(claim.citations.length).toBeGreaterThan(0);
        for (const id of claim.citations) expect(okIds).toContain(id);
        for (const id of claim.issueIds) expect(issueIds).toContain(id);
      }
      // Each page fetched again is cited with what it answered: the claim names the status the
      // tool recorded, and at least one claim rests on such a refetch.
      const refetches = investigation.claims.flatMap((claim) =>
        claim.citations.map((id) => investigation.toolCalls.find((c) => c.id === id)!).filter((call) => call.tool === "fetch_page").map((call) => ({ claim, call })));
      expect(refetches.length).toBeGreaterThan(0);
      for (const { claim, call } of refetches) expect(claim.rootCause).toContain(`answered HTTP ${/"status":(\d{3})/.exec(call.result ?? "")?.[1]}`);
      expect(investigation.cost).toMatchObject({ modelCalls: 2, toolCalls: investigation.toolCalls.length });
      expect(investigation.cost.inputTokens).toBe(900 + 2_400);

      // Nothing secret reached the model: not the twin database's password, nor the debug
      // endpoint's leaked DATABASE_URL that a tool result may hold.
      const password = new URL(twins.databaseUrl()).password;
      const sent = JSON.stringify(stub.requests);
      expect(password.length).toBeGreaterThan(3);
      expect(sent).not.toContain(password);
      expect(sent).not.toContain("sk-test-investigation");
    } finally {
      await closeEngine(engine);
    }
  });
});
