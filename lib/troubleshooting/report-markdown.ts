// The run report as Markdown, for the download and the export API.
import type { RunReport } from "./report";

const cell = (value: unknown) => String(value ?? "").replace(/\|/g, "\\|").replace(/\n/g, " ");

export function reportToMarkdown(report: RunReport): string {
  const lines = [
    `# Troubleshooting run ${report.runId}`,
    "",
    `- Status: **${report.status}**${report.statusReason ? ` (${report.statusReason})` : ""}`,
    `- Target: ${report.target.baseUrl} · database ${report.target.database}`,
    `- Trigger: ${report.trigger}; started ${report.startedAt}${report.durationMs !== null ? `; took ${(report.durationMs / 1000).toFixed(1)} s` : ""}`,
    `- Health score: ${report.healthScore.before ?? "–"} → ${report.healthScore.after ?? "–"}`,
    ...(report.initialIssue ? [`- Reported problem: ${report.initialIssue}`] : []),
    "",
    "## Summary",
    "",
    report.summary || "No summary yet.",
    "",
    "## Phases",
    "",
    "| phase | status | ms |",
    "|---|---|---|",
    ...report.phases.map((p) => `| ${p.name} | ${p.status} | ${p.durationMs} |`),
    "",
    ...(report.checks.some((c) => c.note) ? ["## What was checked", "", ...report.checks.filter((c) => c.note).map((c) => `- \`${c.code}\`: ${c.note}`), ""] : []),
    "## Issues",
    "",
    ...(report.issues.length === 0
      ? ["No issues found."]
      : ["| severity | domain | issue | status |", "|---|---|---|---|", ...report.issues.map((i) => `| ${i.severity} | ${i.domain} | ${cell(i.title)} (\`${i.code}\`) | ${i.status} |`)]),
    "",
    "## Fix actions",
    "",
    ...(report.actions.length === 0
      ? ["No actions planned."]
      : ["| action | risk | status | verified | detail |", "|---|---|---|---|---|", ...report.actions.map((a) => `| \`${a.code}\` | ${a.risk} | ${a.status} | ${a.verified === null ? "–" : a.verified ? "yes" : "no"} | ${cell(a.detail)} |`)]),
    "",
    "## Recommendations",
    "",
    ...(report.recommendations.length === 0 ? ["None."] : report.recommendations.map((r, i) => `${i + 1}. ${r.replace(/\n/g, "\n   ")}`)),
    "",
  ];
  return lines.join("\n");
}
