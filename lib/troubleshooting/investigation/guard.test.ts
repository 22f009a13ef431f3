// The guard on each tool call: ids in call order, each refusal kind, the budget, the per-call
// timeout (also for a tool that ignores its signal), redaction and truncation of what the model
// is told.
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { createPrismaClient } from "../../db";
import { testTarget } from "../../../fixtures/test/engine";
import { createToolGuard, canonicalJson, toolMessage } from "./guard";
import { TRUNCATED, createRedactor } from "./redaction";
import type { ToolCallRecord } from "./schema";
import { type InvestigationTool, ToolRefusedError } from "./tools/tool";

const tableStats: InvestigationTool<{ table: string; limit?: number }> = {
  name: "table_stats",
  description: "test",
  args: z.object({ table: z.string().min(1), limit: z.number().int().optional() }).strict(),
  async run({ table }, ctx) {
    if (table === "pg_authid") throw new ToolRefusedError("not a user table");
    if (table === "broken") throw new Error(`relation missing at ${ctx.target.databaseUrl}`);
    if (table === "huge") return { rows: "r".repeat(9_000) };
    if (table === "slow") return new Promise((resolve, reject) => ctx.signal.addEventListener("abort", () => reject(new Error("aborted by signal"))));
    return { table, live: 10 };
  },
};

const context = {
  runId: "run-1",
  target: testTarget("http://127.0.0.1:9", "postgresql://u:db-SECRET-pw@127.0.0.1:9/t"),
  prisma: createPrismaClient("postgresql://vitest@127.0.0.1:9/unused"), // never used by these tools
  credentials: null,
  integrations: {},
  issues: [],
  checks: [],
};

function guard(options: { maxToolCalls?: number; toolTimeoutMs?: number; signal?: AbortSignal } = {}) {
  const emitted: ToolCallRecord[] = [];
  const g = createToolGuard({
    tools: [tableStats] as InvestigationTool<never>[],
    context,
    signal: options.signal ?? new AbortController().signal,
    toolTimeoutMs: options.toolTimeoutMs ?? 1_000,
    maxToolCalls: options.maxToolCalls ?? 10,
    redactor: createRedactor(["db-SECRET-pw"]),
    onRecord: async (record) => void emitted.push(record),
  });
  return { g, emitted };
}
const raw = (name: string, args: string) => ({ callId: `c-${Math.random()}`, name, arguments: args });

describe("the tool-call guard", () => {
  it("numbers calls in order and decides each outcome", async () => {
    const { g, emitted } = guard();
    const outcomes = [];
    for (const call of [
      raw("table_stats", '{"table":"orders","limit":5}'),
      raw("table_stats", '{"limit":5,"table":"orders"}'),
      raw("drop_table", "{}"),
      raw("table_stats", "{table:"),
      raw("table_stats", '{"table":7}'),
      raw("table_stats", '{"table":"orders","sql":"DELETE FROM orders"}'),
      raw("table_stats", '{"table":"pg_authid"}'),
      raw("table_stats", '{"table":"broken"}'),
    ]) outcomes.push(await g.call(call));
    expect(g.records.map((r) => [r.id, r.status, r.refusal])).toEqual([
      ["T1", "ok", undefined],
      ["T2", "refused", "repeated"],
      ["T3", "refused", "unknown_tool"],
      ["T4", "refused", "invalid_arguments"],
      ["T5", "refused", "invalid_arguments"],
      ["T6", "refused", "invalid_arguments"],
      ["T7", "refused", "policy"],
      ["T8", "error", undefined],
    ]);
    expect(emitted).toEqual(g.records);
    expect(outcomes[0]!.content).toBe('{"id":"T1","tool":"table_stats","status":"ok","result":{"table":"orders","live":10}}');
    expect(g.records[4]!.reason).toMatch(/^invalid arguments: table: /);
    expect(g.records[5]!.reason).toMatch(/^invalid arguments: arguments: .*"sql"/);
    expect(outcomes[6]!.content).toBe('{"id":"T7","tool":"table_stats","status":"refused","reason":"not a user table"}');
    expect(g.records[7]!.reason).toBe("relation missing at postgresql://u:***@127.0.0.1:9/t");
  });

  it("records what the model sent within bounds", async () => {
    const { g } = guard();
    const { record } = await g.call(raw("x".repeat(500), JSON.stringify({ blob: "y".repeat(5_000) })));
    expect(record.tool).toHaveLength(101);
    expect(typeof record.args).toBe("string");
    expect((record.args as string).length).toBe(1_001);
  });

  it("refuses calls beyond the budget, whatever they are", async () => {
    const { g } = guard({ maxToolCalls: 2 });
    await g.call(raw("nope", "{}"));
    await g.call(raw("table_stats", '{"table":"a"}'));
    expect(g.budgetSpent).toBe(true);
    const third = await g.call(raw("table_stats", '{"table":"b"}'));
    expect(third.record).toMatchObject({ id: "T3", status: "refused", refusal: "budget", reason: "the tool-call budget (2 calls) is spent" });
  });

  it("ends a call at its timeout, in the guard's words", async () => {
    const { g } = guard({ toolTimeoutMs: 50 });
    const { record } = await g.call(raw("table_stats", '{"table":"slow"}'));
    expect(record).toMatchObject({ status: "error", reason: "timed out after 50 ms" });
  });

  it("says the run was cancelled when its signal aborts a call", async () => {
    const controller = new AbortController();
    const { g } = guard({ signal: controller.signal, toolTimeoutMs: 10_000 });
    const pending = g.call(raw("table_stats", '{"table":"slow"}'));
    controller.abort();
    expect((await pending).record).toMatchObject({ status: "error", reason: "the run was cancelled" });
  });

  it("gives a truncated result to the model as a string", async () => {
    const { g } = guard();
    const { record, content } = await g.call(raw("table_stats", '{"table":"huge"}'));
    expect(record.result?.endsWith(TRUNCATED)).toBe(true);
    const told = JSON.parse(content) as { result: unknown };
    expect(typeof told.result).toBe("string");
    expect(told.result).toBe(record.result);
    expect(toolMessage(record, true)).toBe(content);
  });
});

describe("canonicalJson", () => {
  it("sorts keys at every depth", () => {
    expect(canonicalJson({ b: 1, a: { d: [2, { f: 1, e: 0 }], c: null } })).toBe('{"a":{"c":null,"d":[2,{"e":0,"f":1}]},"b":1}');
  });
});
