// The AI investigation in whole runs: the real ChatOpenAI client against a loopback server that
// speaks the chat API with tool calls (scripted per turn), real target servers and PostgreSQL.
// The target's database password, session cookie, bearer token and platform secrets are
// recognisable strings, and no prompt the model was sent may contain any of them.
import { randomUUID } from "node:crypto";
import type { BaseChatModel } from "@langchain/core/language_models/chat_models";
import parsePrometheusTextFormat from "parse-prometheus-text-format";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { createTestDatabase, withClient } from "../../../fixtures/test/databases";
import { TEST_SETTINGS, closeEngine, createTestEngine, testTarget } from "../../../fixtures/test/engine";
import { eventsOf } from "../../../fixtures/test/faults";
import { type ChatRequest, type OpenAIStub, type StubAnswer, offersTools, startOpenAIStub } from "../../../fixtures/test/openai-stub";
import { type TargetServer, startTargetServer } from "../../../fixtures/test/target-server";
import { parseEnv } from "../../env";
import { setIssueState } from "../../issues/set-state";
import { metricsText } from "../../monitoring/metrics";
import { buildReport } from "../queries/report";
import { runReportSchema } from "../report";
import { createRun, executeRun } from "../runs/run-service";
import type { Engine } from "../workflow/engine";
import type { InvestigatorModel } from "../workflow/deps";
import { chatModelFromEnv, llmReasoner } from "../workflow/reasoner";
import { FINAL_ANSWER_REQUEST } from "./prompt";
import type { Investigation } from "./schema";
import { INVESTIGATION_TOOLS } from "./tools";
import type { InvestigationTool } from "./tools/tool";

const DB_PASSWORD = "pw-SECRET-123";
const COOKIE_VALUE = "ck-SECRET-456";
const BEARER = "bt-SECRET-789";
const REVALIDATE_SECRET = "rv-SECRET-321";
const VERCEL_TOKEN = "vt-SECRET-654";
const HOOK_PATH = "/v1/integrations/deploy/prj_1/hk-SECRET-987";
const SECRETS = [DB_PASSWORD, COOKIE_VALUE, BEARER, REVALIDATE_SECRET, VERCEL_TOKEN, "hk-SECRET-987"];

/** Stands in for a tool whose output carries what the process knows (a connection string in a
 * log line, a header dump): every secret in the tool context, in plain sight. */
const configDump: InvestigationTool<Record<string, never>> = {
  name: "config_dump",
  description: "Test tool: the tool context's connection details.",
  args: z.object({}).strict(),
  async run(_args, ctx) {
    return {
      log: `connect ECONNREFUSED ${ctx.target.databaseUrl}`,
      headers: { cookie: ctx.credentials?.cookie, authorization: `Bearer ${ctx.credentials?.bearer}` },
      integrations: ctx.integrations,
    };
  },
};
/** A tool that fails with the database URL in its message. */
const failingConnect: InvestigationTool<Record<string, never>> = {
  name: "failing_connect",
  description: "Test tool: fails naming the database URL.",
  args: z.object({}).strict(),
  async run(_args, ctx) {
    throw new Error(`could not connect to ${ctx.target.databaseUrl}`);
  },
};
/** A tool that ignores its signal and answers after 5 s. */
const slowTool: InvestigationTool<Record<string, never>> = {
  name: "slow_tool",
  description: "Test tool: answers after 5 s, whatever its signal says.",
  args: z.object({}).strict(),
  run: () => new Promise((resolve) => setTimeout(() => resolve({ late: true }), 5_000)),
};
/** Offered only where a condition holds; never on these runs. */
const unavailableTool: InvestigationTool<Record<string, never>> = {
  name: "never_offered",
  description: "Test tool: unavailable.",
  args: z.object({}).strict(),
  unavailable: () => "not configured",
  run: async () => ({}),
};

type Family = { name: string; metrics: { labels?: Record<string, string>; value?: string }[] };
const value = (families: Family[], name: string, labels: Record<string, string> = {}) =>
  Number(families.find((f) => f.name === name)?.metrics.find((m) => Object.entries(labels).every(([k, v]) => m.labels?.[k] === v))?.value ?? 0);

let stub: OpenAIStub;
let site: TargetServer;
let targetDatabaseUrl: string;
let engine: Engine;
let keyless: Engine;
/** An engine whose model calls time out after 300 ms (the reasoner is the rules'). */
let impatient: Engine;
/** The investigator's script: its reply on `turn` (0 = first request) of the current run. */
let investigator: (req: ChatRequest, turn: number) => StubAnswer;

const isInvestigator = (req: ChatRequest) => req.messages[0]?.content?.startsWith("Role: investigator") ?? false;
const turnOf = (req: ChatRequest) => req.messages.filter((m) => m.role === "assistant").length;

/** The reasoner's requests (triage, fix choice, summary) answered with valid JSON. */
function reasonerAnswer(req: ChatRequest): StubAnswer {
  const text = req.messages.at(-1)?.content ?? "";
  const task = text.slice(0, text.indexOf("Input:"));
  const input = JSON.parse(text.slice(text.indexOf("Input:") + "Input:".length)) as { issues?: { id: string }[] };
  if (task.includes('"focus"')) return { status: 200, content: '{"focus":["web"],"hypotheses":[]}' };
  if (task.includes('"actions"')) return { status: 200, content: '{"actions":[]}' };
  return { status: 200, content: JSON.stringify({ summary: "The home page fails.", citedIssueIds: (input.issues ?? []).slice(0, 1).map((i) => i.id) }) };
}

/** The issues the investigator was given (its first user message's Input). */
function investigatorInput(req: ChatRequest): { issues: { id: string; code: string; candidateActions: string[] }[]; budget: { toolCalls: number; tokens: number } } {
  const text = req.messages.find((m) => m.role === "user")?.content ?? "";
  return JSON.parse(text.slice(text.indexOf("Input:\n") + "Input:\n".length)) as ReturnType<typeof investigatorInput>;
}

const call = (name: string, args: unknown) => ({ name, arguments: typeof args === "string" ? args : JSON.stringify(args) });
const answer = (claims: unknown[]): StubAnswer => ({ status: 200, content: JSON.stringify({ claims }) });

beforeAll(async () => {
  stub = await startOpenAIStub((req) => (isInvestigator(req) ? investigator(req, turnOf(req)) : reasonerAnswer(req)));
  site = await startTargetServer({ status: 500, body: "<!doctype html><title>error</title><p>Internal Server Error</p>" });
  // The target database, reached as a role whose password is recognisable.
  const database = await createTestDatabase({ migrate: false });
  const role = `inv_${randomUUID().replaceAll("-", "").slice(0, 12)}`;
  await withClient(database, (sql) => sql.query(`CREATE ROLE ${role} LOGIN SUPERUSER PASSWORD '${DB_PASSWORD}'`));
  const url = new URL(database);
  url.username = role;
  url.password = DB_PASSWORD;
  targetDatabaseUrl = url.toString();

  const rawEnv = { DATABASE_URL: database, AUTH_SECRET: "s".repeat(32), OPENAI_API_KEY: "sk-test-investigator-key", OPENAI_BASE_URL: stub.baseUrl, OPENAI_MODEL: "stub-model", LLM_TIMEOUT_MS: "5000" };
  const env = parseEnv(rawEnv);
  const model = chatModelFromEnv(env)!;
  const withTools: InvestigatorModel = { load: model, name: "stub-model", tools: [...INVESTIGATION_TOOLS, ...([configDump, failingConnect, slowTool, unavailableTool] as InvestigationTool<never>[])] };
  const settings = {
    ...TEST_SETTINGS,
    site: { credentials: { origin: site.url, cookie: `session=${COOKIE_VALUE}; theme=dark`, bearer: BEARER } },
    integrations: {
      revalidate: { url: `${site.url}/api/revalidate`, secret: REVALIDATE_SECRET },
      deployHook: { url: `https://api.vercel.com${HOOK_PATH}` },
      vercel: { apiUrl: "https://api.vercel.com", token: VERCEL_TOKEN, projectId: "prj_1" },
    },
  };
  engine = await createTestEngine(await createTestDatabase(), { reasoner: llmReasoner(model, "stub-model"), investigator: withTools, settings });
  keyless = await createTestEngine(await createTestDatabase(), { settings });
  const shortTimeout = chatModelFromEnv(parseEnv({ ...rawEnv, LLM_TIMEOUT_MS: "300" }))!;
  impatient = await createTestEngine(await createTestDatabase(), { investigator: { load: shortTimeout, name: "stub-model" }, settings });
});
afterAll(async () => {
  await Promise.all([closeEngine(engine), closeEngine(keyless), closeEngine(impatient)]);
  await Promise.all([stub.close(), site.close()]);
});
afterEach(() => {
  // Whatever the test, no prompt ever carried a secret.
  const sent = JSON.stringify(stub.requests);
  for (const secret of SECRETS) expect(sent).not.toContain(secret);
});

/** One whole run on the web domain (the site answers 500: issues to investigate). */
async function run(on: Engine = engine, investigation = { maxIssues: 3, maxToolCalls: 12, maxTokens: 60_000, toolTimeoutMs: 5_000 }) {
  on.deps.settings.investigation = investigation;
  const before = stub.requests.length;
  const { runId, config } = await createRun(on, { trigger: "api", domains: ["web"] }, testTarget(site.url, targetDatabaseUrl));
  await executeRun(on, runId, config);
  const report = runReportSchema.parse(await buildReport(on.deps.prisma, runId));
  // The rules plan every candidate fix, some awaiting an admin; the model chooses none.
  expect(report.status).toBe(on === engine ? "completed" : "awaiting_approval");
  const events = await eventsOf(on.deps.prisma, runId);
  const requests = stub.requests.slice(before).filter(isInvestigator);
  return { report, investigation: report.investigation as Investigation, events, requests };
}

/** The tool messages the model was sent in `req`, parsed. */
const toolMessages = (req: ChatRequest) => req.messages.filter((m) => m.role === "tool").map((m) => JSON.parse(m.content ?? "") as { id: string; tool: string; status: string; result?: unknown; reason?: string });

describe("the AI investigation in a run", () => {
  it("calls tools, concludes citing them, keeps cited claims and drops the others", async () => {
    investigator = (req, turn) => {
      const first = investigatorInput(req).issues[0]!;
      if (turn === 0) return { status: 200, toolCalls: [call("issue_evidence", { issueId: first.id }), call("config_dump", {})], usage: { prompt: 900, completion: 40 } };
      return {
        ...answer([
          { issueIds: [first.id, "invented-id"], rootCause: "The home page answers 500 (T1).", confidence: "high", citations: ["T1", "T9"], linkedIssueIds: ["invented-id"], suggestedActions: [...first.candidateActions.slice(0, 1), "made.up_action"] },
          { issueIds: [first.id], rootCause: "A hunch with no evidence.", confidence: "low", citations: ["T7"] },
          { issueIds: ["invented-id"], rootCause: "About an issue that does not exist.", confidence: "low", citations: ["T1"] },
        ]),
        usage: { prompt: 1_200, completion: 120 },
      };
    };
    const { investigation, events, requests, report } = await run();
    expect(investigation.status).toBe("completed");
    expect(investigation.model).toBe("stub-model");
    const given = investigatorInput(requests[0]!);
    expect(given.budget).toEqual({ toolCalls: 12, tokens: 60_000 });
    expect(investigation.issueIds).toEqual(given.issues.map((i) => i.id));
    expect(investigation.issueIds.length).toBeGreaterThan(0);
    // The tools offered: the registry's and the test's, not the unavailable one.
    const offered = requests[0]!.tools?.map((t) => t.function.name);
    expect(offered).toEqual(expect.arrayContaining(["issue_evidence", "config_dump", "slow_tool"]));
    expect(offered).not.toContain("never_offered");
    expect(requests[0]!.tools?.find((t) => t.function.name === "issue_evidence")?.function.parameters).toMatchObject({ type: "object", properties: { issueId: { type: "string" } }, required: ["issueId"], additionalProperties: false });

    expect(investigation.toolCalls.map((c) => [c.id, c.tool, c.status])).toEqual([["T1", "issue_evidence", "ok"], ["T2", "config_dump", "ok"]]);
    const first = given.issues[0]!;
    expect(investigation.claims).toEqual([{
      issueIds: [first.id], rootCause: "The home page answers 500 (T1).", confidence: "high", citations: ["T1"], linkedIssueIds: [], suggestedActions: first.candidateActions.slice(0, 1),
    }]);
    expect(investigation.dropped).toEqual([
      { rootCause: "A hunch with no evidence.", reason: "cites no tool result" },
      { rootCause: "About an issue that does not exist.", reason: "names no issue of this run" },
    ]);
    expect(investigation.cost).toMatchObject({ modelCalls: 2, toolCalls: 2, inputTokens: 2_100, outputTokens: 160 });
    // The model was told each outcome with its id, as the contract says.
    const told = toolMessages(requests[1]!);
    expect(told.map((m) => [m.id, m.tool, m.status])).toEqual([["T1", "issue_evidence", "ok"], ["T2", "config_dump", "ok"]]);
    expect(told[0]!.result).toMatchObject({ issue: { id: first.id } });
    // The secrets the tool returned reached neither the model nor the record.
    expect(JSON.stringify(told[1]!.result)).toContain("***");
    for (const secret of SECRETS) expect(JSON.stringify(investigation)).not.toContain(secret);
    // Events: started, each call, completed (the whole record), in prioritization.
    const own = events.filter((e) => e.type.startsWith("investigation_"));
    expect(own.map((e) => e.type)).toEqual(["investigation_started", "investigation_tool_call", "investigation_tool_call", "investigation_completed"]);
    expect(own.every((e) => e.phase === "issue_prioritization")).toBe(true);
    expect(own[0]!.payload).toMatchObject({ issueIds: investigation.issueIds, model: "stub-model", tools: expect.arrayContaining(["issue_evidence"]) });
    expect(own[3]!.payload).toEqual(investigation);
    // The run went on to plan fixes after it.
    const completedAt = events.findIndex((e) => e.type === "investigation_completed");
    expect(events.findIndex((e) => e.phase === "resolution")).toBeGreaterThan(completedAt);
    expect(report.issues.length).toBeGreaterThan(0);
    // Its cost in the metrics: from the stored records, and this process's tool-call counter.
    const metrics = parsePrometheusTextFormat((await metricsText(engine.deps.prisma)).text) as Family[];
    expect(value(metrics, "troubleshooter_investigations_total", { status: "completed" })).toBe(1);
    expect(value(metrics, "troubleshooter_investigation_tool_calls_total")).toBe(2);
    expect(value(metrics, "troubleshooter_investigation_tokens_total", { kind: "input" })).toBe(2_100);
    expect(value(metrics, "troubleshooter_process_investigation_tool_calls_total", { tool: "issue_evidence", outcome: "ok" })).toBeGreaterThanOrEqual(1);
  });

  it("refuses an unknown tool, malformed and wrong-typed arguments, a repeat and policy refusals (URLs included), and goes on", async () => {
    investigator = (req, turn) => {
      const first = investigatorInput(req).issues[0]!;
      if (turn === 0) {
        return {
          status: 200,
          toolCalls: [
            call("run_shell", { command: "rm -rf /" }),
            call("issue_evidence", "{issueId: oops"),
            call("issue_evidence", { issueId: 42 }),
            call("issue_evidence", { issueId: first.id }),
            call("issue_evidence", { issueId: first.id }),
            call("issue_evidence", { issueId: "not-an-issue-of-this-run" }),
            call("issue_evidence", { issueId: first.id, sql: "DROP TABLE users" }),
            call("fetch_page", { url: "http://169.254.169.254/latest/meta-data/" }),
            call("fetch_page", { url: "https://attacker.example/collect" }),
          ],
        };
      }
      return answer([{ issueIds: [first.id], rootCause: "The page fails.", confidence: "medium", citations: ["T1", "T4", "T5"] }]);
    };
    const { investigation, requests } = await run();
    expect(investigation.status).toBe("completed");
    expect(investigation.toolCalls.map((c) => [c.id, c.status, c.refusal])).toEqual([
      ["T1", "refused", "unknown_tool"],
      ["T2", "refused", "invalid_arguments"],
      ["T3", "refused", "invalid_arguments"],
      ["T4", "ok", undefined],
      ["T5", "refused", "repeated"],
      ["T6", "refused", "policy"],
      ["T7", "refused", "invalid_arguments"],
      ["T8", "refused", "policy"],
      ["T9", "refused", "policy"],
    ]);
    const [unknown, notJson, wrongType, , , policy, extra, metadata, foreign] = investigation.toolCalls;
    // The address policy and the target's origin, through the whole agent: nothing was fetched.
    expect(metadata!.reason).toMatch(/169\.254\.169\.254/);
    expect(foreign!.reason).toMatch(/origin/);
    expect(unknown!.reason).toMatch(/no tool "run_shell" is offered; the tools are .*issue_evidence/);
    expect(notJson).toMatchObject({ reason: "the arguments were not JSON", args: "{issueId: oops" });
    expect(wrongType!.reason).toMatch(/^invalid arguments: issueId: /);
    expect(policy!.reason).toBe("no issue not-an-issue-of-this-run in this run");
    expect(extra!.reason).toMatch(/sql/);
    // Only the call that ran supports the claim.
    expect(investigation.claims[0]!.citations).toEqual(["T4"]);
    // The model was told each refusal with its reason.
    const told = toolMessages(requests[1]!);
    expect(told.map((m) => m.status)).toEqual(["refused", "refused", "refused", "ok", "refused", "refused", "refused", "refused", "refused"]);
    expect(told[1]!.reason).toBe("the arguments were not JSON");
    // The conversation answers every call the model made, in its order.
    const asked = requests[1]!.messages.find((m) => m.role === "assistant")?.tool_calls?.map((c) => c.id);
    expect(requests[1]!.messages.filter((m) => m.role === "tool").map((m) => m.tool_call_id)).toEqual(asked);
  });

  it("refuses calls beyond the tool budget, asks once without tools, and ends budget_exhausted", async () => {
    let n = 0;
    investigator = () => ({ status: 200, toolCalls: [call("issue_evidence", { issueId: `x${n++}` }), call("config_dump", {}), call("slow_tool", {})] });
    const { investigation, requests } = await run(engine, { maxIssues: 3, maxToolCalls: 2, maxTokens: 60_000, toolTimeoutMs: 5_000 });
    expect(investigation.status).toBe("budget_exhausted");
    expect(investigation.reason).toBe("the tool-call budget (2 calls) was spent and the model asked for more tools instead of concluding");
    expect(investigation.toolCalls.map((c) => [c.id, c.status, c.refusal])).toEqual([
      ["T1", "refused", "policy"],
      ["T2", "ok", undefined],
      ["T3", "refused", "budget"],
      ["T4", "refused", "budget"],
      ["T5", "refused", "budget"],
      ["T6", "refused", "budget"],
    ]);
    expect(investigation.toolCalls[2]!.reason).toBe("the tool-call budget (2 calls) is spent");
    expect(requests).toHaveLength(2);
    // The last request offered no tool and asked for the answer.
    expect(offersTools(requests[1]!)).toBe(false);
    expect(requests[1]!.messages.at(-1)?.content).toBe(FINAL_ANSWER_REQUEST);
    expect(investigation.cost).toMatchObject({ modelCalls: 2, toolCalls: 6 });
  });

  it("concludes after the tool budget when the model answers the no-tools turn", async () => {
    investigator = (req, turn) => {
      const first = investigatorInput(req).issues[0]!;
      if (offersTools(req)) return { status: 200, toolCalls: [call("issue_evidence", { issueId: first.id }), call("config_dump", {}), call("config_dump", {})] };
      expect(turn).toBe(1);
      return answer([{ issueIds: [first.id], rootCause: "The page fails.", confidence: "medium", citations: ["T1"] }]);
    };
    const { investigation } = await run(engine, { maxIssues: 1, maxToolCalls: 2, maxTokens: 60_000, toolTimeoutMs: 5_000 });
    expect(investigation.status).toBe("completed");
    expect(investigation.reason).toBe("concluded after its tool-call budget (2 calls) was spent");
    expect(investigation.issueIds).toHaveLength(1);
    expect(investigation.toolCalls.map((c) => c.refusal ?? c.status)).toEqual(["ok", "ok", "budget"]);
    expect(investigation.claims).toHaveLength(1);
  });

  it("stops at the token budget, naming the figure", async () => {
    investigator = (req) => ({ status: 200, toolCalls: [call("issue_evidence", { issueId: investigatorInput(req).issues[0]!.id })], usage: { prompt: 40_000, completion: 30_000 } });
    const { investigation, requests } = await run();
    expect(investigation.status).toBe("budget_exhausted");
    expect(investigation.reason).toBe("the token budget was spent: 70000 of 60000 tokens over 1 model calls");
    expect(requests).toHaveLength(1); // no model call started past the budget
    expect(investigation.cost).toMatchObject({ modelCalls: 1, inputTokens: 40_000, outputTokens: 30_000, toolCalls: 1 });
  });

  it("ends a tool that outlives its timeout with an error, and goes on", async () => {
    investigator = (req, turn) => {
      const first = investigatorInput(req).issues[0]!;
      if (turn === 0) return { status: 200, toolCalls: [call("slow_tool", {}), call("failing_connect", {}), call("issue_evidence", { issueId: first.id })] };
      return answer([{ issueIds: [first.id], rootCause: "The page fails.", confidence: "low", citations: ["T1", "T3"] }]);
    };
    const { investigation, requests } = await run(engine, { maxIssues: 3, maxToolCalls: 12, maxTokens: 60_000, toolTimeoutMs: 300 });
    expect(investigation.status).toBe("completed");
    const [slow, failing] = investigation.toolCalls;
    expect(slow).toMatchObject({ id: "T1", status: "error", reason: "timed out after 300 ms" });
    expect(slow!.durationMs).toBeLessThan(5_000);
    // The error's own words, with the database password redacted.
    expect(failing).toMatchObject({ status: "error" });
    expect(failing!.reason).toMatch(/^could not connect to postgres(ql)?:\/\/\*\*\*@127\.0\.0\.1:\d+\/test_/); // user-info and password
    expect(toolMessages(requests[1]!)[0]).toEqual({ id: "T1", tool: "slow_tool", status: "error", reason: "timed out after 300 ms" });
    expect(investigation.claims[0]!.citations).toEqual(["T3"]);
  });

  it("records a failed model call as failed, and the run completes", async () => {
    investigator = () => ({ status: 500 });
    const { investigation, report } = await run();
    expect(investigation).toMatchObject({ status: "failed", reason: "the model call failed (HTTP 500)", claims: [] });
    expect(report.summary).toBe("The home page fails."); // the reasoner still answered
  });

  it("records a model call that outlives LLM_TIMEOUT_MS as failed, and the run goes on", async () => {
    investigator = () => ({ status: 200, content: '{"claims":[]}', delayMs: 2_000 });
    const { investigation, requests } = await run(impatient);
    expect(investigation).toMatchObject({ status: "failed", reason: "the model call timed out (after 300 ms)", claims: [] });
    expect(requests.length).toBeGreaterThan(0);
  });

  it("records a final answer that is not JSON as failed", async () => {
    investigator = () => ({ status: 200, content: "I think the database is slow." });
    const { investigation } = await run();
    expect(investigation).toMatchObject({ status: "failed", reason: "the model's final answer was not JSON" });
  });

  it("turned off (INVESTIGATION_MAX_ISSUES=0): not run, nothing asked", async () => {
    investigator = () => ({ status: 500 }); // never asked: requests below
    const { investigation, requests } = await run(engine, { maxIssues: 0, maxToolCalls: 12, maxTokens: 60_000, toolTimeoutMs: 5_000 });
    expect(investigation).toMatchObject({ status: "not_run", reason: "INVESTIGATION_MAX_ISSUES=0: turned off" });
    expect(requests).toHaveLength(0);
  });

  it("a run without issues: not run, and the report says why", async () => {
    site.behaviour.status = 200;
    try {
      investigator = () => ({ status: 500 }); // never asked: requests below
      const { investigation, requests, report } = await run();
      expect(report.issues).toEqual([]);
      expect(investigation).toMatchObject({ status: "not_run", reason: "no issues to investigate" });
      expect(requests).toHaveLength(0);
    } finally {
      site.behaviour.status = 500;
    }
  });

  it("leaves out issues an admin ignored", async () => {
    // The run's issues have groups on this target (joined after each run): ignore them all.
    const groups = await engine.deps.prisma.issueGroup.findMany({ select: { id: true } });
    expect(groups.length).toBeGreaterThan(0);
    const admin = { id: "admin-1", email: "admin@example.test" };
    for (const group of groups) await setIssueState(engine.deps.prisma, group.id, admin, { state: "ignored", reason: "known: the staging home page" });
    try {
      investigator = () => ({ status: 500 }); // never asked: requests below
      const { investigation, requests, report } = await run();
      expect(report.issues.length).toBeGreaterThan(0);
      expect(investigation).toMatchObject({ status: "not_run", reason: "every issue of this run is ignored by an admin" });
      expect(requests).toHaveLength(0);
    } finally {
      for (const group of groups) await setIssueState(engine.deps.prisma, group.id, admin, { state: "open" });
    }
  });

  it("an investigation that breaks outside the model and the tools is recorded failed (secrets redacted), and the run goes on", async () => {
    const broken: InvestigatorModel = {
      name: "broken-model",
      load: async () => ({ bindTools: () => { throw new Error(`client misconfigured for ${targetDatabaseUrl}`); } }) as unknown as BaseChatModel,
    };
    const on = await createTestEngine(await createTestDatabase(), { investigator: broken, settings: keyless.deps.settings });
    try {
      const { investigation, report } = await run(on);
      expect(report.actions.length).toBeGreaterThan(0); // it went on to plan fixes
      expect(investigation).toMatchObject({ status: "failed", model: "broken-model", reason: expect.stringMatching(/^the investigation could not run \(client misconfigured for postgresql:\/\/\*\*\*@/) });
      expect(investigation.reason).not.toContain(DB_PASSWORD);
    } finally {
      await closeEngine(on);
    }
  });

  it("without a key: no request reaches the model, and the report says why", async () => {
    const before = stub.requests.length;
    const { investigation, events } = await run(keyless);
    expect(stub.requests.length).toBe(before);
    expect(investigation).toMatchObject({ status: "not_run", reason: "no OPENAI_API_KEY: no AI investigation", toolCalls: [], claims: [] });
    expect(events.some((e) => e.type.startsWith("investigation_"))).toBe(false);
  });
});
