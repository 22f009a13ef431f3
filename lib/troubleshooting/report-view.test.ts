// How a report reads: the run's outcome in words, why a score did not move, the per-domain
// breakdown, cited issues by name, and the commands offered for copying.
import { describe, expect, it } from "vitest";
import type { ReportIssue, RunReport } from "./report";
import { commandsIn, domainBreakdown, runOutcome, scoreNote, summaryParts, summaryPlain } from "./report-view";

const issue = (id: string, domain: ReportIssue["domain"], severity: ReportIssue["severity"], status: ReportIssue["status"]): ReportIssue => ({
  id, code: "x.y", domain, severity, title: `Issue ${id}`, description: "", evidence: {}, status, detectedBy: "bot", rank: null, relatedIds: [], recommendation: null,
});

describe("report view", () => {
  it("says completed in a good tone only when nothing is left open", () => {
    expect(runOutcome({ status: "completed", issues: [] })).toEqual({ text: "completed · no issues", tone: "good" });
    expect(runOutcome({ status: "completed", issues: [issue("a", "web", "high", "resolved")] })).toEqual({ text: "completed · all issues resolved", tone: "good" });
    const open = Array.from({ length: 18 }, (_, i) => issue(`o${i}`, "web", "medium", i % 2 ? "open" : "unresolved"));
    expect(runOutcome({ status: "completed", issues: open })).toEqual({ text: "completed · 18 issues open", tone: "warning" });
    expect(runOutcome({ status: "awaiting_approval", issues: open }).tone).toBe("warning");
  });

  it("explains a score that did not move although an issue was resolved (a domain floored at 0)", () => {
    const issues = [issue("r", "web", "medium", "resolved"), ...Array.from({ length: 4 }, (_, i) => issue(`c${i}`, "web", "critical", "open"))];
    const report: Pick<RunReport, "issues" | "healthScore"> = { issues, healthScore: { before: 27, after: 27, byDomain: { web: { before: 0, after: 0 }, database: { before: 80, after: 80 } } } };
    expect(scoreNote(report)).toBe("The score did not move although 1 issue was resolved: web still scores 0 (the floor), its open issues still outweighing it.");
    expect(scoreNote({ ...report, healthScore: { ...report.healthScore, after: 30 } })).toBeNull();
  });

  it("breaks checks and issues down by domain, every severity in order", () => {
    const [web] = domainBreakdown({
      checks: [
        { code: "web.a", domain: "web", status: "passed", durationMs: 1 },
        { code: "web.b", domain: "web", status: "issues", durationMs: 1 },
        { code: "web.c", domain: "web", status: "error", durationMs: 1 },
        { code: "web.d", domain: "web", status: "skipped", durationMs: 1 },
      ],
      issues: [issue("a", "web", "critical", "open"), issue("b", "web", "medium", "resolved"), issue("c", "web", "medium", "open")],
      healthScore: { before: 10, after: 20, byDomain: { web: { before: 10, after: 20 } } },
    });
    expect(web).toEqual({
      domain: "web",
      checks: { run: 3, passed: 1, withIssues: 1, errors: 1, skipped: 1 },
      bySeverity: [{ severity: "critical", count: 1 }, { severity: "high", count: 0 }, { severity: "medium", count: 2 }, { severity: "low", count: 0 }, { severity: "info", count: 0 }],
      open: 2,
      score: { before: 10, after: 20 },
    });
  });

  it("turns issue citations into issue references and leaves other brackets as text", () => {
    const issues = [issue("ck1", "web", "critical", "open")];
    expect(summaryParts("Most urgent: [ck1] (critical); see [docs].", issues)).toEqual(["Most urgent: ", { issue: issues[0] }, " (critical); see [docs]."]);
    expect(summaryPlain("[ck1] first", issues)).toBe("“Issue ck1” first");
  });

  it("offers the statements and commands in advice for copying", () => {
    const text = "Run: VACUUM (FREEZE, VERBOSE) public.orders; then mark it: npx prisma migrate resolve --rolled-back 2024_init\nOr set `public, max-age=31536000, immutable`.\n\n// next.config.mjs\nexport default {\n  async headers() { return []; },\n};";
    expect(commandsIn(text)).toEqual([
      "// next.config.mjs\nexport default {\n  async headers() { return []; },\n};",
      "public, max-age=31536000, immutable",
      "VACUUM (FREEZE, VERBOSE) public.orders;",
      "npx prisma migrate resolve --rolled-back 2024_init",
    ]);
    expect(commandsIn("Fix the link or restore the page.")).toEqual([]);
  });
});
