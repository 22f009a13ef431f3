// The run report as Markdown, for the download and the export API. Whatever the target controls
// (titles, details, recommendations, reasons, URLs) is escaped as Markdown text: it renders as the
// characters it holds, never as a link, an image, raw HTML, emphasis, a code span or a table cell.
import type { AdviceGroup, RunReport } from "../report";
import { plainText } from "../plain-text";
import { argsText, costText, durationText, investigationStatusText, resultText, toolCallOutcome } from "../investigation-view";
import { actionStatusText, domainBreakdown, ignoredText, isIgnored, runOutcome, scoreNote, summaryPlain } from "../report-view";

// Inline syntax: backslash, code spans, emphasis, strikethrough, links and images ([ ]), raw HTML
// and autolinks (< >), entity references (&), table cells (|). A backslash before ASCII
// punctuation makes it literal in CommonMark and GitHub Flavored Markdown.
const INLINE = /[\\`*_~[\]<>&|]/g;
// Block syntax a line could start with: headings, quotes, list items, thematic breaks, setext
// underlines, fences (` is inline already), ordered list items ("1." / "1)").
const LINE_START = /^(\s*)([#>+\-=]|\d+(?=[.)]))/;

/** One line of target text as literal Markdown. */
function escapeLine(line: string): string {
  return line.replace(INLINE, "\\$&").replace(LINE_START, (_, space: string, mark: string) => (/^\d/.test(mark) ? `${space}${mark}\\` : `${space}\\${mark}`));
}

/** Target text as literal Markdown; its line breaks stay (as hard breaks with `hardBreaks`),
 * each continuation line starting with `indent` (to stay inside a list item). */
export function markdownText(value: unknown, options: { indent?: string; hardBreaks?: boolean } = {}): string {
  const lines = String(value ?? "").replace(/\r\n?/g, "\n").split("\n").map(escapeLine);
  return lines.join(`${options.hardBreaks ? "\\" : ""}\n${options.indent ?? ""}`);
}

/** Target text in a table cell: one line, pipes escaped with the rest. */
const cell = (value: unknown) => escapeLine(String(value ?? "").replace(/\s*[\r\n]+\s*/g, " "));

export function reportToMarkdown(report: RunReport): string {
  const lines = [
    `# Troubleshooting run ${markdownText(report.runId)}`,
    "",
    `- Status: **${runOutcome(report).text}**${report.statusReason ? ` (${cell(report.statusReason)})` : ""}`,
    `- Target: ${cell(report.target.baseUrl)} · database ${cell(report.target.database)}`,
    `- Trigger: ${report.trigger}; started ${report.startedAt}${report.durationMs !== null ? `; took ${(report.durationMs / 1000).toFixed(1)} s` : ""}`,
    `- Health score: ${report.healthScore.before ?? "–"} → ${report.healthScore.after ?? "–"}${scoreNote(report) ? ` (${cell(scoreNote(report))})` : ""}`,
    ...(report.initialIssue ? [`- Reported problem: ${cell(report.initialIssue)}`] : []),
    "",
    "## Summary",
    "",
    report.summary ? markdownText(summaryPlain(report.summary, report.issues)) : "No summary yet.",
    "",
    "## By domain",
    "",
    "| domain | checks run | found issues | could not run | critical | high | medium | low | info | open |",
    "|---|---|---|---|---|---|---|---|---|---|",
    ...domainBreakdown(report).map((d) => `| ${d.domain} | ${d.checks.run} | ${d.checks.withIssues} | ${d.checks.errors} | ${d.bySeverity.map((s) => s.count).join(" | ")} | ${d.open} |`),
    "",
    "## Phases",
    "",
    "| phase | status | ms |",
    "|---|---|---|",
    ...report.phases.map((p) => `| ${cell(p.name)} | ${p.status} | ${p.durationMs} |`),
    "",
    ...(report.checks.some((c) => c.note) ? ["## What was checked", "", ...report.checks.filter((c) => c.note).map((c) => `- \`${c.code}\`: ${markdownText(c.note, { indent: "  " })}`), ""] : []),
    "## Issues",
    "",
    ...issueLines(report),
    "",
    ...investigationLines(report),
    "## Fix actions",
    "",
    ...(report.actions.length === 0
      ? ["No actions planned."]
      : ["| action | risk | status | verified | detail |", "|---|---|---|---|---|", ...report.actions.map((a) => `| \`${a.code}\` | ${a.risk} | ${actionStatusText(a.status)} | ${a.verified === null ? "–" : a.verified ? "yes" : "no"} | ${cell(a.detail)} |`)]),
    "",
    "## Recommendations",
    "",
    ...recommendationLines(report),
    "",
  ];
  return lines.join("\n");
}

/** The issues table (ignored findings apart, below it: they are not the run's open issues). */
function issueLines(report: RunReport): string[] {
  const listed = report.issues.filter((i) => !isIgnored(i));
  const ignored = report.issues.filter(isIgnored);
  const table = listed.length === 0
    ? [report.issues.length === 0 ? "No issues found." : "No issues other than ignored ones."]
    : ["| severity | domain | issue | status |", "|---|---|---|---|", ...listed.map((i) => `| ${i.severity} | ${i.domain} | ${cell(i.title)} (\`${i.code}\`) | ${i.status} |`)];
  if (ignored.length === 0) return table;
  return [
    ...table,
    "",
    "### Ignored (not counted in the health score)",
    "",
    ...ignored.map((i) => `- ${cell(i.title)} (\`${i.code}\`): ${cell(ignoredText(i))}`),
  ];
}

/** Most severe first, identical advice once with the issues it applies to; a report stored before
 * advice was grouped keeps its plain list. */
function recommendationLines(report: RunReport): string[] {
  const groups: AdviceGroup[] | undefined = report.advice;
  if (!groups) return report.recommendations.length === 0 ? ["None."] : report.recommendations.map((r, i) => `${i + 1}. ${markdownText(r, { indent: "   ", hardBreaks: true })}`);
  if (groups.length === 0) return ["None."];
  return groups.map((group, i) => {
    const titles = group.issueIds.flatMap((id) => report.issues.find((issue) => issue.id === id)?.title ?? []);
    const head = `${i + 1}. **${group.severity}**${group.title ? ` ${markdownText(group.title)}:` : ""} ${markdownText(group.text, { indent: "   ", hardBreaks: true })}`;
    const applies = titles.length > 0 ? `\\\n   For: ${titles.map((t) => cell(t)).join("; ")}` : "";
    return head + applies;
  });
}

/** A result as an indented code block: CommonMark shows its lines as they are (no link, HTML or
 * emphasis is read in one), and every line carries the indent, so no line can end the block. */
const codeBlock = (text: string) => text.replace(/\r\n?/g, "\n").split("\n").map((line) => `    ${line}`);

/** Model or target text in a cell. The model's words, unlike findings, were not kept to printable
 * text when stored: a file printed to a terminal must not carry its escape sequences either. */
const said = (value: unknown) => cell(plainText(String(value ?? "")));

/** "## AI investigation": outcome, cost, the claims kept with their citations, those not kept, the
 * tool calls (table) and their results. Nothing for a report stored before investigations. */
function investigationLines(report: RunReport): string[] {
  const record = report.investigation;
  if (!record) return [];
  const head = ["## AI investigation", "", `- Status: ${said(investigationStatusText(record))}${record.model ? ` (model ${said(record.model)})` : ""}`];
  if (record.status === "not_run") return [...head, ""];
  const title = (id: string) => said(report.issues.find((i) => i.id === id)?.title ?? id);
  const call = (id: string) => record.toolCalls.find((c) => c.id === id);
  const action = (code: string) => said(report.actions.find((a) => a.code === code)?.title ?? code);
  const claims = record.claims.map((claim, i) => {
    const cites = claim.citations.map((id) => `${said(id)}${call(id) ? ` (${said(call(id)?.tool)})` : ""}`).join(", ");
    return [
      `${i + 1}. **${claim.confidence}** confidence · about ${claim.issueIds.map(title).join("; ")}:\\`,
      `   ${markdownText(plainText(claim.rootCause), { indent: "   ", hardBreaks: true })}\\`,
      ...(claim.linkedIssueIds.length ? [`   Shares this cause: ${claim.linkedIssueIds.map(title).join("; ")}\\`] : []),
      ...(claim.suggestedActions.length ? [`   Suggested fixes: ${claim.suggestedActions.map(action).join("; ")}\\`] : []),
      `   Cites: ${cites}`,
    ].join("\n");
  });
  return [
    ...head,
    `- Cost: ${costText(record.cost)}`,
    ...(record.issueIds.length ? [`- Asked about: ${record.issueIds.map(title).join("; ")}`] : []),
    "",
    "### Conclusions",
    "",
    ...(claims.length ? claims : ["No claim citing a tool result."]),
    "",
    ...(record.dropped.length ? ["### Not kept", "", ...record.dropped.map((d) => `- ${said(d.rootCause)} (${said(d.reason)})`), ""] : []),
    "### Tool calls",
    "",
    ...(record.toolCalls.length === 0
      ? ["None."]
      : [
          "| id | tool | arguments | outcome | time |",
          "|---|---|---|---|---|",
          ...record.toolCalls.map((c) => `| ${said(c.id)} | ${said(c.tool)} | ${said(argsText(c.args))} | ${said(toolCallOutcome(c))} | ${durationText(c.durationMs)} |`),
        ]),
    "",
    ...record.toolCalls.filter((c) => c.result !== undefined).flatMap((c) => [`#### Result of ${said(c.id)} (${said(c.tool)})`, "", ...codeBlock(plainText(resultText(c.result))), ""]),
  ];
}
