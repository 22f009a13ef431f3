import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase } from "../../../fixtures/test/databases";
import { closeEngine, createTestEngine, testTarget } from "../../../fixtures/test/engine";
import { type ChatRequest, type OpenAIStub, type StubAnswer, inputOf, startOpenAIStub } from "../../../fixtures/test/openai-stub";
import { createStaleTable } from "../../../fixtures/test/stale-table";
import { type TargetServer, startTargetServer } from "../../../fixtures/test/target-server";
import { parseEnv } from "../../env";
import { buildReport } from "../queries/report";
import { runReportSchema } from "../report";
import { createRun, executeRun } from "../runs/run-service";
import { chatModelFromEnv, llmReasoner } from "./reasoner";

let stub: OpenAIStub;
let answer: (req: ChatRequest) => StubAnswer;
let target: TargetServer;

beforeAll(async () => {
  stub = await startOpenAIStub((req) => answer(req));
  target = await startTargetServer({ status: 500 });
});
afterAll(async () => {
  await stub.close();
  await target.close();
});

function reasoner() {
  const env = parseEnv({ DATABASE_URL: "postgresql://x@localhost/x", AUTH_SECRET: "s".repeat(32), OPENAI_API_KEY: "sk-test", OPENAI_BASE_URL: stub.baseUrl, OPENAI_MODEL: "stub-model", LLM_TIMEOUT_MS: "5000" });
  const model = chatModelFromEnv(env);
  if (!model) throw new Error("expected a model");
  return llmReasoner(model, "stub-model");
}

/** Answers like a well-behaved model: triage to the database, keep every fix, cite the first issue. */
const goodModel = (req: ChatRequest): StubAnswer => {
  const task = req.messages.at(-1)?.content ?? "";
  const input = inputOf(req);
  if (task.includes("focus on")) return { status: 200, content: '```json\n{"focus":["database"],"hypotheses":["Stale statistics slow the queries."]}\n```' };
  if (task.includes("candidate fix actions")) {
    const candidates = input.candidates as { code: string }[];
    return { status: 200, content: JSON.stringify({ actions: candidates.map((c) => c.code) }) };
  }
  const issues = input.issues as { id: string }[];
  return { status: 200, content: JSON.stringify({ summary: `Root cause: stale statistics [${issues[0]?.id}].`, citedIssueIds: issues.slice(0, 1).map((i) => i.id) }) };
};

/** A run with the reasoner, its report, and the errors tracked for it. */
async function runWith(reasonerUnderTest: ReturnType<typeof reasoner>) {
  const databaseUrl = await createTestDatabase();
  await createStaleTable(databaseUrl);
  const engine = await createTestEngine(databaseUrl, { reasoner: reasonerUnderTest });
  try {
    const { runId, config } = await createRun(engine, { trigger: "api", initialIssue: "Checkout pages are slow since the import" }, testTarget(target.url, databaseUrl));
    await executeRun(engine, runId, config);
    const report = runReportSchema.parse(await buildReport(engine.deps.prisma, runId));
    const errors = await engine.deps.prisma.trackedError.findMany({ where: { runId }, select: { source: true, code: true, category: true, message: true } });
    return { report, errors };
  } finally {
    await closeEngine(engine);
  }
}

describe("LLM reasoning through the real OpenAI client (loopback stub)", () => {
  it("triages, chooses a safe catalogue fix that is applied and verified, and writes a summary citing issues", async () => {
    answer = goodModel;
    const before = stub.requests.length;
    const { report } = await runWith(reasoner());
    expect(report.llm).toEqual({ used: true, model: "stub-model", usage: { calls: 4, latencyMs: expect.any(Number), inputTokens: 4, outputTokens: 4 } });
    const stale = report.issues.find((i) => i.code === "db.stale_statistics");
    expect(stale).toMatchObject({ status: "resolved", evidence: expect.objectContaining({ table: "orders" }) });
    expect(report.actions.find((a) => a.code === "db.analyze_table")).toMatchObject({ status: "applied", verified: true, risk: "safe" });
    expect(report.summary).toBe(`Root cause: stale statistics [${report.issues[0]?.id}].`); // the stub cites the top-ranked issue
    const sent = stub.requests.slice(before);
    expect(sent.map((r) => r.model)).toEqual(Array(sent.length).fill("stub-model"));
    expect(sent).toHaveLength(4); // triage, two fix choices (the stale table, the failing site), summary
  });

  it("falls back to the rules, and says why, when the model answers outside the catalogue or not JSON", async () => {
    answer = (req) => {
      const task = req.messages.at(-1)?.content ?? "";
      if (task.includes("candidate fix actions")) return { status: 200, content: '{"actions":["DROP TABLE orders"]}' };
      if (task.includes("focus on")) return { status: 200, content: "I think it is the database." };
      return goodModel(req);
    };
    const { report } = await runWith(reasoner());
    expect(report.llm.fallbackReason).toBe("the model's answer was not JSON");
    expect(report.actions.map((a) => a.code).sort()).toEqual(["db.analyze_table", "net.reprobe_transient"]); // the rules' choice, not the model's
    expect(report.issues.find((i) => i.code === "db.stale_statistics")?.status).toBe("resolved");
  });

  it("falls back when the API fails, after one retry per call", async () => {
    answer = () => ({ status: 500 });
    const before = stub.requests.length;
    const { report, errors } = await runWith(reasoner());
    expect(report.status).toBe("completed");
    expect(report.llm).toMatchObject({ used: false, model: "stub-model", fallbackReason: "the model call failed (HTTP 500)", usage: { calls: 4, inputTokens: 0 } });
    expect(errors).toContainEqual({ source: "llm", code: "llm", category: "target", message: "the model call failed (HTTP 500)" });
    expect(report.summary).toMatch(/issues? found/);
    // Bounded by maxRetries, not by a clock: triage, two fix choices and the summary, twice each.
    expect(stub.requests.length - before).toBe(8);
  });
});
