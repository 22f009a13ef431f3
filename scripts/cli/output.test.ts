// The CLI's human report reads as the dashboard does: the outcome in words, cited issues by name
// (not "[id]"), and what each fix did ("no effect", "still failing"), never a raw status.
import { describe, expect, it } from "vitest";
import type { ReportIssue, RunReport } from "../../lib/troubleshooting/report";
import { humanReport } from "./output";

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
});
