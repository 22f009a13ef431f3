// The CLI's human report reads as the dashboard does: the outcome in words, cited issues by name
// (not "[id]"), and what each fix did ("no effect", "still failing"), never a raw status.
import { describe, expect, it } from "vitest";
import type { ReportIssue, RunReport } from "../../lib/troubleshooting/report";
import { humanReport } from "./output";
import { investigationRecord } from "../../fixtures/test/investigation-record";

const issue = (id: string, title: string, status: ReportIssue["status"]): ReportIssue => ({
  id, code: "db.long_running_query", domain: "database", severity: "high", title, description: "", evidence: {}, status, detectedBy: "database", rank: 1, relatedIds: [], recommendation: null,
});

const report: RunReport = {
  runId: "run1", status: "completed", success: true, trigger: "cli",
  target: { baseUrl: "https://shop.example", database: "postgresql://***@db/shop", endpoints: [] },
  initialIssue: null, startedAt: "2026-11-30T10:00:00Z", finishedAt: "2026-11-30T10:00:05Z", durationMs: 5_000,
  healthScore: { before: 70, after: 70, byDomain: {} }, degradedDomains: [], phases: [], checks: [],
  issues: [issue("cmabc123", "Query running for 2 hours", "unresolved")],
  actions: [{ id: "a1", issueIds: ["cmabc123"], code: "db.cancel_query", title: "Cancel the query", risk: "needs_approval", status: "no_effect", verified: false, detail: "belongs to a superuser; nothing cancelled", decidedBy: "ops@example.com" }],
  summary: "One problem stands out [cmabc123].", recommendations: [], llm: { used: false }, statusReason: null,
};

describe("the CLI's human report", () => {
  it("names the outcome, the cited issue and what the fix did in words", () => {
    const text = humanReport(report);
    expect(text).toContain("Run run1: completed · 1 issue open");
    expect(text).toContain("Query running for 2 hours");
    expect(text).not.toContain("cmabc123");
    expect(text).toContain("fix db.cancel_query: no effect by ops@example.com");
  });

  it("sums up the AI investigation: outcome, each claim with what it cites, what was not kept, the cost", () => {
    const text = humanReport({ ...report, investigation: investigationRecord("cmabc123") });
    const lines = text.split("\n");
    const at = lines.indexOf("AI investigation: Concluded (model gpt-test)");
    expect(at).toBeGreaterThan(0);
    expect(lines[at + 1]).toMatch(/^  - Query running for 2 hours \(high confidence\): Bloat \[x\]/);
    expect(text).toContain("      cites T1 issue_evidence");
    expect(text).toContain("  not kept: 1 claim (cites no tool result)");
    expect(text).toContain("  cost: 3 model calls · 2 tool calls · 1,234 tokens in / 56 out · 2.4 s");
    // The root cause's escape sequences are shown, not obeyed; its second line stays indented.
    expect(text).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/);
    expect(text).toContain("\\x1b[2J\\x1b]0;pwned\\x07 cleared");
    expect(text).toContain("\n      # heading");
  });

  it("says why the investigation did not run", () => {
    const text = humanReport({ ...report, investigation: { status: "not_run", reason: "no OPENAI_API_KEY: no AI investigation", issueIds: [], toolCalls: [], claims: [], dropped: [], cost: { modelCalls: 0, toolCalls: 0, inputTokens: 0, outputTokens: 0, durationMs: 0 } } });
    expect(text.split("\n")).toContain("AI investigation: Not run: no OPENAI_API_KEY: no AI investigation");
    expect(text).not.toContain("cost:");
  });
});
