// How a run report reads, shared by the run page and the Markdown export: advice ordered by the
// severity of what it addresses and given once with its subjects, issue citations in the summary
// turned into issue names, the run's outcome in words, a per-domain breakdown, and why a score did
// not move. Pure functions of report data (no database, no React).
import { type AdviceGroup, DOMAINS, type Domain, type ReportAction, type ReportIssue, type RunReport, SEVERITIES, type Severity, isActiveRun } from "./report";

const severityIndex = (s: Severity) => SEVERITIES.indexOf(s);

/** The issue's subject (URL, table, session…) as diagnosis recorded it in its evidence, or null. */
export const subjectOf = (issue: Pick<ReportIssue, "evidence">): string | null =>
  typeof issue.evidence.subject === "string" && issue.evidence.subject !== "" ? issue.evidence.subject : null;

/** A finding an admin ignored (its issue across runs) before the run was scored: not in its score,
 * not among its open issues. */
export const isIgnored = (issue: Pick<ReportIssue, "group">): boolean => Boolean(issue.group?.ignored);

/** "ignored by ada@example.com: known slow report page", or null when it was not ignored. */
export function ignoredText(issue: Pick<ReportIssue, "group">): string | null {
  const ignored = issue.group?.ignored;
  if (!ignored) return null;
  return `ignored by ${ignored.by}${ignored.reason ? `: ${ignored.reason}` : ""}`;
}

/** Findings left open by the run: neither resolved nor ignored. */
const isOpen = (issue: Pick<ReportIssue, "status" | "group">) => issue.status !== "resolved" && !isIgnored(issue);

type AdviceIssue = Pick<ReportIssue, "id" | "severity" | "rank" | "title" | "status" | "recommendation" | "evidence">;
type AdviceAction = Pick<ReportAction, "issueIds" | "title" | "detail"> & { status: string };

/** Every piece of advice once: advice actions' steps and the recommendations of issues that are not
 * resolved, grouped by identical text (with every issue and subject it applies to), most severe
 * first (then by the best rank among its issues, then as first given). */
export function groupAdvice(issues: readonly AdviceIssue[], actions: readonly AdviceAction[]): AdviceGroup[] {
  const byId = new Map(issues.map((i) => [i.id, i]));
  const groups = new Map<string, AdviceGroup & { rank: number; order: number }>();
  const add = (title: string | null, text: string, related: AdviceIssue[]) => {
    const key = `${title ?? ""}\n${text}`;
    const group = groups.get(key) ?? { title, text, severity: "info" as Severity, issueIds: [], subjects: [], rank: Number.MAX_SAFE_INTEGER, order: groups.size };
    for (const issue of related) {
      if (group.issueIds.includes(issue.id)) continue;
      group.issueIds.push(issue.id);
      if (severityIndex(issue.severity) < severityIndex(group.severity) || group.issueIds.length === 1) group.severity = issue.severity;
      group.rank = Math.min(group.rank, issue.rank ?? Number.MAX_SAFE_INTEGER);
      const subject = subjectOf(issue);
      if (subject && !group.subjects.includes(subject)) group.subjects.push(subject);
    }
    groups.set(key, group);
  };
  for (const action of actions) {
    if (action.status !== "advice" || !action.detail) continue;
    add(action.title || null, action.detail, action.issueIds.flatMap((id) => byId.get(id) ?? []));
  }
  for (const issue of issues) {
    if (issue.status !== "resolved" && issue.recommendation) add(null, issue.recommendation, [issue]);
  }
  return [...groups.values()]
    .sort((a, b) => severityIndex(a.severity) - severityIndex(b.severity) || a.rank - b.rank || a.order - b.order)
    .map(({ title, text, severity, issueIds, subjects }) => ({ title, text, severity, issueIds, subjects }));
}

/** One advice group as one line of text (the report's `recommendations`, the CLI's words). */
export function adviceText(group: AdviceGroup, issues: readonly Pick<ReportIssue, "id" | "title">[]): string {
  const titles = group.issueIds.flatMap((id) => issues.find((i) => i.id === id)?.title ?? []);
  const head = group.title ?? (titles.length === 1 ? titles[0] : null);
  const applies = group.issueIds.length > 1 ? ` (applies to ${group.subjects.length > 0 ? group.subjects.join(", ") : `${group.issueIds.length} issues`})` : "";
  return `${head ? `${head}: ` : ""}${group.text}${applies}`;
}

export type SummaryPart = string | { issue: Pick<ReportIssue, "id" | "title" | "rank"> };

/** The summary with its issue citations ("[<issue id>]", as the summarizer writes them) as parts
 * to render as links or names; a bracketed text that is not an issue id stays text. */
export function summaryParts(summary: string, issues: readonly Pick<ReportIssue, "id" | "title" | "rank">[]): SummaryPart[] {
  const byId = new Map(issues.map((i) => [i.id, i]));
  const parts: SummaryPart[] = [];
  let last = 0;
  for (const match of summary.matchAll(/\[([^\]\s]+)\]/g)) {
    const issue = byId.get(match[1] ?? "");
    if (!issue) continue;
    if (match.index > last) parts.push(summary.slice(last, match.index));
    parts.push({ issue });
    last = match.index + match[0].length;
  }
  if (last < summary.length) parts.push(summary.slice(last));
  return parts;
}

/** The summary as plain text, each cited issue named by its title in quotes. */
export const summaryPlain = (summary: string, issues: readonly Pick<ReportIssue, "id" | "title" | "rank">[]) =>
  summaryParts(summary, issues).map((p) => (typeof p === "string" ? p : `“${p.issue.title}”`)).join("");

export type OutcomeTone = "good" | "warning" | "bad" | "neutral" | "active";

/** The run's status in words and tone: "completed" is good only when nothing is left open. */
export function runOutcome(report: Pick<RunReport, "status" | "issues">): { text: string; tone: OutcomeTone } {
  const open = report.issues.filter(isOpen).length;
  const ignored = report.issues.filter(isIgnored).length;
  const ignoredNote = ignored > 0 ? ` · ${ignored} ignored` : "";
  const status = report.status.replaceAll("_", " ");
  if (isActiveRun(report.status)) return { text: status, tone: report.status === "awaiting_approval" ? "warning" : "active" };
  if (report.status === "failed") return { text: status, tone: "bad" };
  if (report.status !== "completed") return { text: status, tone: "neutral" };
  if (open === 0) return { text: report.issues.length === 0 ? "completed · no issues" : ignored === report.issues.length ? `completed${ignoredNote}` : `completed · all issues resolved${ignoredNote}`, tone: "good" };
  return { text: `completed · ${open} issue${open === 1 ? "" : "s"} open${ignoredNote}`, tone: "warning" };
}

/** An action's status in words: what happened, never "applied" for an action that changed nothing. */
export function actionStatusText(status: ReportAction["status"]): string {
  switch (status) {
    case "pending_approval":
      return "awaiting decision";
    case "approved":
      return "approved, not yet applied";
    case "no_effect":
      return "no effect";
    case "still_failing":
      return "still failing";
    default:
      return status.replaceAll("_", " ");
  }
}

export interface DomainBreakdown {
  domain: Domain;
  /** Checks that ran (not skipped), with how many found issues or could not run. */
  checks: { run: number; passed: number; withIssues: number; errors: number; skipped: number };
  /** Issues found, by severity (every severity, most severe first), and how many are still open. */
  bySeverity: { severity: Severity; count: number }[];
  open: number;
  score: { before: number | null; after: number | null } | null;
}

/** Per domain: the checks run and the issues found by severity (domains the run covered, or any
 * that has checks or issues). */
export function domainBreakdown(report: Pick<RunReport, "checks" | "issues" | "healthScore">): DomainBreakdown[] {
  return DOMAINS.flatMap((domain): DomainBreakdown[] => {
    const checks = report.checks.filter((c) => c.domain === domain);
    const issues = report.issues.filter((i) => i.domain === domain);
    const score = report.healthScore.byDomain[domain] ?? null;
    if (checks.length === 0 && issues.length === 0 && !score) return [];
    const skipped = checks.filter((c) => c.status === "skipped").length;
    return [{
      domain,
      checks: {
        run: checks.length - skipped,
        passed: checks.filter((c) => c.status === "passed").length,
        withIssues: checks.filter((c) => c.status === "issues").length,
        errors: checks.filter((c) => c.status === "error").length,
        skipped,
      },
      bySeverity: SEVERITIES.map((severity) => ({ severity, count: issues.filter((i) => i.severity === severity).length })),
      open: issues.filter(isOpen).length,
      score,
    }];
  });
}

/** Why the health score did not move although verification resolved issues, or null when it moved
 * (or nothing was resolved). A domain's score floors at 0: resolving one issue among many that
 * still outweigh 100 points leaves it at 0. */
export function scoreNote(report: Pick<RunReport, "issues" | "healthScore">): string | null {
  const { before, after, byDomain } = report.healthScore;
  const resolved = report.issues.filter((i) => i.status === "resolved");
  if (before === null || after === null || before !== after || resolved.length === 0) return null;
  const floored = [...new Set(resolved.map((i) => i.domain))].filter((d) => byDomain[d]?.after === 0);
  const n = `${resolved.length} issue${resolved.length === 1 ? "" : "s"}`;
  if (floored.length > 0) {
    return `The score did not move although ${n} ${resolved.length === 1 ? "was" : "were"} resolved: ${floored.join(", ")} still score${floored.length === 1 ? "s" : ""} 0 (the floor), its open issues still outweighing it.`;
  }
  return `The score did not move although ${n} ${resolved.length === 1 ? "was" : "were"} resolved: ${resolved.every((i) => i.severity === "info") ? "info issues carry no penalty" : "the change rounds away in the average of the domains"}.`;
}

/** Commands and statements in advice text, to offer for copying: multi-line snippets after a
 * blank line, `code spans`, SQL statements ending in ";", and npx/npm/psql command lines. */
export function commandsIn(text: string): string[] {
  const found: string[] = [];
  const add = (value: string) => {
    const v = value.trim();
    if (v.length > 2 && !found.includes(v)) found.push(v);
  };
  const paragraphs = text.split(/\n\s*\n/);
  for (const paragraph of paragraphs.slice(1)) {
    const lines = paragraph.split("\n");
    if (lines.length > 1 && lines.some((l) => /[{};]\s*$|^\s*(\/\/|import |export |const |SELECT |ALTER |CREATE )/.test(l))) add(paragraph);
  }
  const prose = paragraphs.filter((p, i) => i === 0 || !found.includes(p.trim())).join("\n\n");
  for (const m of prose.matchAll(/`([^`\n]+)`/g)) add(m[1] ?? "");
  for (const m of prose.matchAll(/\b(?:SELECT|VACUUM|ANALYZE|ALTER|DROP|REINDEX|CREATE|GRANT|REVOKE|UPDATE|DELETE)\b[^;\n`]*;/g)) add(m[0]);
  for (const m of prose.matchAll(/\b(?:npx|npm|psql|pg_dump|vercel) [^\n`]+/g)) add(m[0].replace(/[.)]\s*$/, ""));
  return found;
}
