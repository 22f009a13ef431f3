// The rule-based coordinator: triage of the admin's words, ranking and linking of issues, and
// the summary. The LLM (reasoner.ts) may replace triage, fix choice and summary; these rules
// are the fallback and the no-key path.
import { type Domain, DOMAINS, SEVERITIES, type Severity } from "../report";

export interface Triage {
  focus: Domain[];
  hypotheses: string[];
  source: "rules" | "llm";
}

const KEYWORDS: { domain: Domain; pattern: RegExp; hypothesis: string }[] = [
  { domain: "web", pattern: /slow|latency|load time|loading|lag/i, hypothesis: "Pages are slow to start rendering (server time to first byte)." },
  { domain: "database", pattern: /slow|timeout|query|database|\bdb\b|postgres|prisma|sql|connection|pool/i, hypothesis: "Slow or blocked database queries delay responses." },
  { domain: "web", pattern: /\b5\d\d\b|error|crash|broken|blank|fail|down|login|sign.?in/i, hypothesis: "Pages fail on the server (5xx) or render errors." },
  { domain: "network", pattern: /dns|tls|ssl|certificate|network|unreachable|timeout|down|cannot reach|offline/i, hypothesis: "An endpoint is unreachable (DNS, TCP or TLS)." },
  { domain: "database", pattern: /too many (clients|connections)|connection limit/i, hypothesis: "The database is running out of connections." },
];

export function triageByRules(initialIssue: string | null | undefined, allowed: readonly Domain[]): Triage {
  const text = initialIssue?.trim() ?? "";
  const matches = KEYWORDS.filter((k) => allowed.includes(k.domain) && k.pattern.test(text));
  const focus = [...new Set(matches.map((m) => m.domain))];
  return {
    focus: focus.length ? focus : [...allowed],
    hypotheses: [...new Set(matches.map((m) => m.hypothesis))],
    source: "rules",
  };
}

export interface RankableIssue {
  id: string;
  code: string;
  domain: Domain;
  severity: Severity;
  subject: string;
}

/** Issues that commonly explain each other: a cause's code, then the codes of its symptoms. */
const RELATIONS: [string, string[]][] = [
  ["db.long_running_query", ["web.slow_ttfb", "web.page_error_status", "db.connections_near_limit"]],
  ["db.blocked_queries", ["web.slow_ttfb", "web.page_error_status", "db.long_running_query"]],
  ["db.unreachable", ["web.page_error_status", "web.slow_ttfb"]],
  ["db.connections_near_limit", ["web.page_error_status", "web.slow_ttfb"]],
  ["db.stale_statistics", ["web.slow_ttfb", "db.long_running_query"]],
  ["net.endpoint_down", ["web.unreachable", "web.page_error_status"]],
];

export interface RankedIssue {
  id: string;
  rank: number;
  relatedIds: string[];
}

/** Sorts by severity, then focus, then root causes before symptoms; links related issues. */
export function prioritize(issues: readonly RankableIssue[], focus: readonly Domain[]): RankedIssue[] {
  const related = new Map(issues.map((i) => [i.id, new Set<string>()]));
  for (const cause of issues) {
    const symptoms = RELATIONS.find(([code]) => code === cause.code)?.[1] ?? [];
    for (const other of issues) {
      if (other.id === cause.id || !symptoms.includes(other.code)) continue;
      related.get(cause.id)?.add(other.id);
      related.get(other.id)?.add(cause.id);
    }
  }
  const causeCodes = new Set(RELATIONS.map(([code]) => code));
  const score = (i: RankableIssue) =>
    SEVERITIES.indexOf(i.severity) * 100 + (focus.includes(i.domain) ? 0 : 10) + (causeCodes.has(i.code) ? 0 : 5) + DOMAINS.indexOf(i.domain);
  return [...issues]
    .sort((a, b) => score(a) - score(b) || a.code.localeCompare(b.code) || a.subject.localeCompare(b.subject))
    .map((issue, index) => ({ id: issue.id, rank: index + 1, relatedIds: [...(related.get(issue.id) ?? [])] }));
}

export interface SummaryInput {
  issues: { id: string; title: string; severity: Severity; status: string; rank: number | null; relatedIds: string[] }[];
  actions: { title: string; status: string }[];
  healthBefore: number | null;
  healthAfter: number | null;
  degraded: Domain[];
}

export function summarizeByRules(input: SummaryInput): string {
  const { issues, actions } = input;
  const parts: string[] = [];
  if (issues.length === 0) parts.push("No issues found.");
  else {
    const open = issues.filter((i) => i.status !== "resolved");
    const top = [...issues].sort((a, b) => (a.rank ?? 99) - (b.rank ?? 99))[0];
    parts.push(`${issues.length} issue${issues.length === 1 ? "" : "s"} found, ${issues.length - open.length} resolved and verified.`);
    if (top) {
      // Issues are cited as [id] (as the LLM is asked to): the report names or links them.
      const links = top.relatedIds.length ? `; it is linked to ${top.relatedIds.map((id) => `[${id}]`).join(", ")}` : "";
      parts.push(`Most urgent: [${top.id}] (${top.severity})${links}.`);
    }
  }
  const applied = actions.filter((a) => a.status === "applied").length;
  const pending = actions.filter((a) => a.status === "pending_approval").length;
  const noEffect = actions.filter((a) => a.status === "no_effect").length;
  if (applied) parts.push(`${applied} fix${applied === 1 ? "" : "es"} applied.`);
  if (noEffect) parts.push(`${noEffect} fix${noEffect === 1 ? "" : "es"} changed nothing (see why in the actions).`);
  if (pending) parts.push(`${pending} fix${pending === 1 ? "" : "es"} awaiting approval.`);
  if (input.degraded.length) parts.push(`Not fully checked (bot failed or timed out): ${input.degraded.join(", ")}.`);
  if (input.healthBefore !== null) {
    parts.push(input.healthAfter !== null && input.healthAfter !== input.healthBefore
      ? `Health score ${input.healthBefore} → ${input.healthAfter}.`
      : `Health score ${input.healthBefore}.`);
  }
  return parts.join(" ");
}
