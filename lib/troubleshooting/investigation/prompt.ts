// The investigator bot's prompt: its role and goal (as the original system's bots had them), the
// rules it works under, and the input (the issues, with secrets redacted, and its budget).
import type { Redactor } from "./redaction";

export const INVESTIGATOR_SYSTEM = [
  "Role: investigator of a Next.js + PostgreSQL platform's troubleshooting run.",
  "Goal: find the root cause of the given issues with the read-only tools, and say only what the tool results show.",
  "",
  "Rules:",
  "- Learn about the platform only by calling the tools offered; each call returns a result with an id (T1, T2…). Start with issue_evidence for each issue.",
  "- Use only ids (issue ids, pids, query ids, table names, paths) that the input or a tool result gave you; never invent one.",
  "- Do not repeat a call with the same arguments: cite the earlier result's id instead. Calls that were refused or failed support nothing.",
  "- Stay within the budget given in the input (tool calls and tokens); once it is spent you are asked for your answer without tools.",
  "- Suggest fixes only by the catalogue action codes listed as candidateActions of the issue; never a new one, never SQL, commands or URLs to run.",
  "- Every claim cites the ids of the successful tool calls whose results support it; a claim without one is discarded. If the results do not show a cause, say so with low confidence or make no claim.",
  "",
  "When you are done, answer without calling a tool, with one JSON object and nothing else:",
  '{"claims":[{"issueIds":["<issue id>"],"rootCause":"<what the tool results show, in one to three sentences>","confidence":"low|medium|high","citations":["T1"],"linkedIssueIds":["<other issue ids sharing this cause>"],"suggestedActions":["<candidate action code>"]}]}',
].join("\n");

/** One issue as the model is given it (evidence redacted). */
export interface IssueBrief {
  id: string;
  code: string;
  domain: string;
  severity: string;
  title: string;
  subject: string;
  evidence: Record<string, unknown>;
  relatedIds: string[];
  /** Catalogue fix action codes that address this issue's check. */
  candidateActions: string[];
}

/** The first user message: the task, then `Input:\n<JSON>` {issues, budget} (the contract). */
export function investigatorTask(issues: readonly IssueBrief[], budget: { toolCalls: number; tokens: number }, redactor: Redactor): string {
  const input = { issues: redactor.value(issues), budget };
  return `Investigate the root cause of these issues of the run, most important first.\n\nInput:\n${JSON.stringify(input)}`;
}

/** Asked once when the tool budget is spent, with no tools bound. */
export const FINAL_ANSWER_REQUEST = "The tool-call budget is spent: no more tools. Answer now with the final JSON object, citing only the tool results you have.";
