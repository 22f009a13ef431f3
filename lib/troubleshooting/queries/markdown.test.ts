// The Markdown export with target text built to inject Markdown: links, images, raw HTML, code
// spans, table cells and block syntax. No Markdown renderer is installed, so the raw text is
// checked for what a CommonMark/GFM renderer would act on: an unescaped [ < ` | * or a line start.
import { describe, expect, it } from "vitest";
import type { RunReport } from "../report";
import { markdownText, reportToMarkdown } from "./markdown";
import { investigationRecord } from "../../../fixtures/test/investigation-record";

const HOSTILE = [
  "[click](javascript:alert(1))",
  "![x](https://evil.example/t.png)",
  '<img src=x onerror="alert(1)">',
  "<https://evil.example>",
  "`code` and ``more``",
  "a | b || c",
  "**bold** _em_ ~~gone~~",
  "&lt;script&gt;",
].join(" ");

const report: RunReport = {
  runId: "run-1",
  status: "completed",
  success: true,
  trigger: "cli",
  target: { baseUrl: "https://site.example", database: "db|x", endpoints: [] },
  initialIssue: `users say ${HOSTILE}`,
  startedAt: "2026-01-01T00:00:00.000Z",
  finishedAt: null,
  durationMs: 1000,
  healthScore: { before: 50, after: 60, byDomain: {} },
  degradedDomains: [],
  phases: [{ name: "diagnostics", status: "completed", startedAt: "2026-01-01T00:00:00.000Z", durationMs: 5 }],
  checks: [{ code: "web.page_title", domain: "web", status: "passed", durationMs: 1, note: `saw ${HOSTILE}\n# heading` }],
  issues: [
    {
      id: "i1",
      code: "web.page_error_status",
      domain: "web",
      severity: "high",
      title: `Page ${HOSTILE}\nsecond | line`,
      description: "",
      evidence: {},
      status: "open",
      detectedBy: "web_bot",
      rank: 1,
      relatedIds: [],
      recommendation: null,
    },
  ],
  actions: [{ id: "a1", issueIds: ["i1"], code: "db.vacuum_table", title: "t", risk: "safe", status: "applied", verified: true, detail: `VACUUM ${HOSTILE}`, decidedBy: null }],
  summary: `Summary ${HOSTILE}\n> quoted\n- item\n1. list\n---`,
  recommendations: [`Step ${HOSTILE}\n## not a heading\n<script>alert(1)</script>\n\`\`\`\nfenced\n\`\`\``],
  llm: { used: false },
  statusReason: null,
};

/** Characters a renderer would act on that are not preceded by a backslash. */
const unescaped = (text: string, chars: string) => [...text.matchAll(new RegExp(`(?<!\\\\)(?:\\\\\\\\)*[${chars}]`, "g"))].length;

describe("Markdown export", () => {
  const md = reportToMarkdown(report);
  const lines = md.split("\n");

  it("injects no link, image, autolink, raw HTML or entity from target text", () => {
    // The export's own markup: the bold status and the catalogue codes in code spans.
    const ownMarkup = /\*\*completed[^*]*\*\*|\*\*(critical|high|medium|low|info)\*\*|`[a-z]+\.[a-z_]+`/g;
    for (const line of lines) expect(unescaped(line.replace(ownMarkup, ""), "\\[<&*_~`"), line).toBe(0);
    expect(md).not.toMatch(/(?<!\\)\]\(javascript:/);
    expect(md).toContain("\\[click\\](javascript:alert(1))");
    expect(md).toContain('\\<img src=x onerror="alert(1)"\\>');
  });

  it("keeps table rows to their columns, and code spans to the CLI's own codes", () => {
    const issueRow = lines.find((l) => l.startsWith("| high |"))!;
    expect(unescaped(issueRow, "|")).toBe(5); // | severity | domain | issue | status |
    expect(unescaped(issueRow, "`")).toBe(2); // only (`web.page_error_status`)
    expect(issueRow).toContain("\\`code\\`");
    const actionRow = lines.find((l) => l.startsWith("| `db.vacuum_table`"))!;
    expect(unescaped(actionRow, "|")).toBe(6);
    expect(unescaped(actionRow, "`")).toBe(2);
  });

  it("lets no target line start a heading, quote, list, rule or fence", () => {
    const ours = new Set(["# Troubleshooting run run-1", "## Summary", "## By domain", "## Phases", "## What was checked", "## Issues", "## Fix actions", "## Recommendations"]);
    const headings = lines.filter((l) => /^\s*#/.test(l));
    expect(headings.every((l) => ours.has(l)), headings.join("\n")).toBe(true);
    const summary = lines.slice(lines.indexOf("## Summary") + 2, lines.indexOf("## By domain") - 1);
    expect(summary).toEqual(expect.arrayContaining(["\\> quoted", "\\- item", "1\\. list", "\\---"]));
    const recommendation = md.slice(md.indexOf("## Recommendations"));
    expect(recommendation).toContain("\\\n   \\## not a heading");
    expect(recommendation).toContain("\\\n   \\`\\`\\`");
    expect(unescaped(recommendation, "<`")).toBe(0);
  });

  it("leaves plain text readable", () => {
    expect(markdownText("Table public.orders has 10 rows; run VACUUM (ANALYZE) on it.")).toBe("Table public.orders has 10 rows; run VACUUM (ANALYZE) on it.");
  });

  it("gives grouped advice most severe first, once, with the issues it applies to, escaped", () => {
    const issue = (id: string, severity: "critical" | "medium", title: string, subject: string) => ({ ...report.issues[0]!, id, severity, title, evidence: { subject }, rank: id === "m" ? 1 : 2 });
    const grouped = reportToMarkdown({
      ...report,
      issues: [issue("m", "medium", "Headers missing on /a", "/a"), issue("c", "critical", `Page / answers 500 ${HOSTILE}`, "/"), issue("m2", "medium", "Headers missing on /b", "/b")],
      advice: [
        { title: "Fix the 500", text: "Look at the server log.", severity: "critical", issueIds: ["c"], subjects: ["/"] },
        { title: "Add the security headers", text: "Add a headers() block.", severity: "medium", issueIds: ["m", "m2"], subjects: ["/a", "/b"] },
      ],
    });
    const recommendations = grouped.slice(grouped.indexOf("## Recommendations")).split("\n").filter((l) => /^\d+\. /.test(l));
    expect(recommendations).toEqual(["1. **critical** Fix the 500: Look at the server log.\\", "2. **medium** Add the security headers: Add a headers() block.\\"]);
    expect(grouped).toContain("   For: Headers missing on /a; Headers missing on /b");
    expect(grouped).toContain("   For: Page / answers 500 \\[click\\](javascript:alert(1))");
  });

  it("names the issues a summary cites instead of printing their ids, and says the run left issues open", () => {
    const cited = reportToMarkdown({ ...report, summary: "Most urgent: [i1] (high); see [not-an-id]." });
    expect(cited).not.toContain("[i1]");
    expect(cited).toContain("Most urgent: “Page \\[click\\]");
    expect(cited).toContain("\\[not-an-id\\]");
    expect(cited).toContain("- Status: **completed · 1 issue open**");
  });

  describe("the AI investigation", () => {
    const withInvestigation = reportToMarkdown({ ...report, investigation: investigationRecord("i1") });
    const section = withInvestigation.slice(withInvestigation.indexOf("## AI investigation"), withInvestigation.indexOf("## Fix actions"));
    const sectionLines = section.split("\n");

    it("gives the outcome, the cost, each claim with its citations, those not kept and the calls", () => {
      expect(sectionLines).toContain("- Status: Concluded (model gpt-test)");
      expect(sectionLines).toContain("- Cost: 3 model calls · 2 tool calls · 1,234 tokens in / 56 out · 2.4 s");
      expect(section).toMatch(/^1\. \*\*high\*\* confidence · about Page \\\[click\\\]/m);
      expect(sectionLines).toContain("   Suggested fixes: t\\"); // the run's action with that code, by title
      expect(sectionLines).toContain("   Cites: T1 (issue\\_evidence)");
      expect(sectionLines).toContain("### Not kept");
      expect(sectionLines).toContain("- It is the network, trust me (cites no tool result)");
      expect(sectionLines).toContain("| T1 | issue\\_evidence | {\"issueId\":\"i1\"} | ok | 12 ms |");
      // The refused call's tool name (the model's words) keeps to its cell.
      const refused = sectionLines.find((l) => l.startsWith("| T2 |"))!;
      expect(unescaped(refused, "|")).toBe(6);
      expect(refused).toContain("refused (not an offered tool): shell\\|exec is not one of the offered tools");
    });

    it("escapes a hostile root cause and keeps a hostile result inside its code block", () => {
      const claim = section.slice(section.indexOf("### Conclusions"), section.indexOf("### Not kept"));
      expect(unescaped(claim.replace(/\*\*high\*\*/, ""), "\\[<`*_|")).toBe(0);
      expect(claim).toContain("\\\n   \\# heading"); // a hard break, then no heading
      expect(withInvestigation.split("\n").filter((l) => /^#{1,6} /.test(l)).every((l) => !l.includes("heading"))).toBe(true);
      const result = sectionLines.slice(sectionLines.indexOf("#### Result of T1 (issue\\_evidence)") + 2);
      const block = result.slice(0, result.indexOf(""));
      expect(block.length).toBeGreaterThan(1);
      // Every line indented as code: the </details>, <script> and ``` are shown, never read.
      expect(block.every((l) => l.startsWith("    "))).toBe(true);
      expect(block.join("\n")).toContain("</details><script>alert(1)</script>");
      // JSON text: the terminal escape is \u001b, not the raw character.
      expect(withInvestigation).not.toContain("\u001b");
    });

    it("says in one line why it did not run, and nothing for a report from before investigations", () => {
      const notRun = reportToMarkdown({ ...report, investigation: { status: "not_run", reason: "no OPENAI_API_KEY: no AI investigation", issueIds: [], toolCalls: [], claims: [], dropped: [], cost: { modelCalls: 0, toolCalls: 0, inputTokens: 0, outputTokens: 0, durationMs: 0 } } });
      expect(notRun).toContain("## AI investigation\n\n- Status: Not run: no OPENAI\\_API\\_KEY: no AI investigation\n\n## Fix actions");
      expect(md).not.toContain("AI investigation");
    });
  });
});
