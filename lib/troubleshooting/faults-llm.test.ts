// The LLM endpoint misbehaves during a run (the real OpenAI client against a loopback stub): rate
// limited, failing, too slow, or answering prose. The run completes on the rule-based coordinator,
// and the report's llm.fallbackReason says which.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase } from "../../fixtures/test/databases";
import { closeEngine, createTestEngine, testTarget } from "../../fixtures/test/engine";
import { contiguous, eventsOf } from "../../fixtures/test/faults";
import { type OpenAIStub, type StubAnswer, startOpenAIStub } from "../../fixtures/test/openai-stub";
import { type TargetServer, startTargetServer } from "../../fixtures/test/target-server";
import { parseEnv } from "../env";
import type { Engine } from "./workflow/engine";
import { buildReport } from "./queries/report";
import { runReportSchema } from "./report";
import { createRun, executeRun } from "./runs/run-service";
import { chatModelFromEnv, llmReasoner } from "./workflow/reasoner";

const LLM_TIMEOUT_MS = 400;
let stub: OpenAIStub;
let answer: () => StubAnswer;
let site: TargetServer;
let databaseUrl: string;
let engine: Engine;

beforeAll(async () => {
  stub = await startOpenAIStub(() => answer());
  site = await startTargetServer();
  databaseUrl = await createTestDatabase();
  const env = parseEnv({
    DATABASE_URL: databaseUrl, AUTH_SECRET: "s".repeat(32), OPENAI_API_KEY: "sk-test", OPENAI_BASE_URL: stub.baseUrl, OPENAI_MODEL: "stub-model", LLM_TIMEOUT_MS: String(LLM_TIMEOUT_MS),
  });
  engine = await createTestEngine(databaseUrl, { reasoner: llmReasoner(chatModelFromEnv(env)!, "stub-model", { timeoutMs: env.LLM_TIMEOUT_MS }) });
});
afterAll(async () => {
  await closeEngine(engine);
  await stub.close();
  await site.close();
});

async function runWithModel(model: () => StubAnswer) {
  answer = model;
  const before = stub.requests.length;
  const started = Date.now();
  const { runId, config } = await createRun(engine, { trigger: "api", initialIssue: "The shop feels slow" }, testTarget(site.url, databaseUrl));
  await executeRun(engine, runId, config);
  const report = runReportSchema.parse(await buildReport(engine.deps.prisma, runId));
  const events = await eventsOf(engine.deps.prisma, runId);
  expect(events.map((e) => e.seq)).toEqual(contiguous(events));
  expect(report.status).toBe("completed");
  expect(report.summary).toMatch(/issues? found|No issue/i); // the rules wrote it
  return { report, calls: stub.requests.length - before, ms: Date.now() - started };
}

describe("the LLM endpoint fails during a run", () => {
  it("429 rate limited: completed on the rules", async () => {
    const { report, calls } = await runWithModel(() => ({ status: 429 }));
    expect(report.llm).toMatchObject({ used: false, model: "stub-model", fallbackReason: "the model call failed (HTTP 429)" });
    expect(calls).toBeGreaterThanOrEqual(2); // triage and summary (no fix to choose on a healthy site)
  });

  it("500 server error: completed on the rules", async () => {
    const { report } = await runWithModel(() => ({ status: 500 }));
    expect(report.llm).toMatchObject({ used: false, fallbackReason: "the model call failed (HTTP 500)" });
  });

  it("no answer within LLM_TIMEOUT_MS: completed on the rules, bounded by the timeout", async () => {
    const valid = '{"focus":["web"],"hypotheses":[]}';
    const { report, ms } = await runWithModel(() => ({ status: 200, content: valid, delayMs: 5_000 }));
    expect(report.llm).toMatchObject({ used: false, fallbackReason: `the model call timed out (after ${LLM_TIMEOUT_MS} ms)` });
    expect(ms).toBeLessThan(20_000); // two calls, two tries each, never the stub's 5 s
  });

  it("prose instead of JSON: completed on the rules", async () => {
    const { report } = await runWithModel(() => ({ status: 200, content: "Sure! I would look at the database first." }));
    expect(report.llm).toMatchObject({ used: false, fallbackReason: "the model's answer was not JSON" });
  });
});
