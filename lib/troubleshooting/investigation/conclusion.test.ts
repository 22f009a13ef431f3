// The final answer held to the rules: claims on the run's issues, citing successful calls, with
// catalogue fixes that address them; anything else removed or dropped with its reason.
import { describe, expect, it } from "vitest";
import { concludeFrom } from "./conclusion";
import type { ToolCallRecord } from "./schema";

const issues = [{ id: "i1", code: "db.slow_query" }, { id: "i2", code: "db.blocked_session" }];
const calls: ToolCallRecord[] = [
  { id: "T1", tool: "issue_evidence", args: {}, status: "ok", result: "{}", durationMs: 1 },
  { id: "T2", tool: "query_plan", args: {}, status: "refused", refusal: "policy", reason: "no", durationMs: 1 },
  { id: "T3", tool: "table_stats", args: {}, status: "error", reason: "timed out after 5 ms", durationMs: 5 },
];
const fixes = [{ code: "db.create_index", addresses: ["db.slow_query"] }, { code: "db.kill_session", addresses: ["db.blocked_session"] }];
const context = { issues, calls, fixes };

describe("concludeFrom", () => {
  it("keeps a cited claim, filtering its citations, links and actions", () => {
    const text = "```json\n" + JSON.stringify({ claims: [{
      issueIds: ["i1", "nope", "i1"], rootCause: "  A sequential scan on orders.  ", confidence: "high", citations: ["T1", "T2", "T3", "T9", "T1"],
      linkedIssueIds: ["i2", "i1", "ghost"], suggestedActions: ["db.create_index", "db.kill_session", "db.drop_database"],
    }] }) + "\n```";
    expect(concludeFrom(text, context)).toEqual({ ok: true, dropped: [], claims: [{
      issueIds: ["i1"], rootCause: "A sequential scan on orders.", confidence: "high", citations: ["T1"], linkedIssueIds: ["i2"], suggestedActions: ["db.create_index"],
    }] });
  });

  it("drops a claim citing only refused or failed calls, and one naming no issue of the run", () => {
    const text = JSON.stringify({ claims: [
      { issueIds: ["i1"], rootCause: "refused only", confidence: "low", citations: ["T2", "T3"] },
      { issueIds: ["i2"], rootCause: "no citations", confidence: "low" },
      { issueIds: ["ghost"], rootCause: "made up", confidence: "medium", citations: ["T1"] },
    ] });
    expect(concludeFrom(text, context)).toEqual({ ok: true, claims: [], dropped: [
      { rootCause: "refused only", reason: "cites no tool result" },
      { rootCause: "no citations", reason: "cites no tool result" },
      { rootCause: "made up", reason: "names no issue of this run" },
    ] });
  });

  it("fails an answer that is not JSON, or not the schema", () => {
    expect(concludeFrom("The database is slow.", context)).toEqual({ ok: false, reason: "the model's final answer was not JSON" });
    expect(concludeFrom('{"claims":[{"issueIds":["i1"],"confidence":"certain"}]}', context)).toEqual({ ok: false, reason: "the model's final answer did not match the schema" });
  });
});
