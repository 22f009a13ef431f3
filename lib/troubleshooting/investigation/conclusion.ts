// The model's final answer, parsed and held to the rules: a claim stands only on the run's issues
// and on tool results that succeeded. What it invented (ids, calls, fixes) is removed; a claim
// left without an issue or a citation is dropped with the reason.
import { z } from "zod";
import type { FixActionDef } from "../catalogue";
import { type Claim, confidenceSchema, type ToolCallRecord } from "./schema";

/** The answer's shape as the model may send it: lists it left out are empty, so that a claim
 * without citations is dropped (with its reason), not the whole answer. */
const answerSchema = z.object({
  claims: z.array(
    z.object({
      issueIds: z.array(z.string()).default([]),
      rootCause: z.string().trim().min(1),
      confidence: confidenceSchema,
      citations: z.array(z.string()).default([]),
      linkedIssueIds: z.array(z.string()).default([]),
      suggestedActions: z.array(z.string()).default([]),
    }),
  ),
});

const MAX_ROOT_CAUSE_CHARS = 1_500;

export type Conclusion =
  | { ok: true; claims: Claim[]; dropped: { rootCause: string; reason: string }[] }
  | { ok: false; reason: string };

export interface ConclusionContext {
  /** The run's issues (ids and check codes): claims may name any of them. */
  issues: readonly { id: string; code: string }[];
  calls: readonly ToolCallRecord[];
  fixes: readonly Pick<FixActionDef<never>, "code" | "addresses">[];
}

/** Parses `text` (one JSON object, possibly in a ``` fence) and keeps the claims that hold. */
export function concludeFrom(text: string, context: ConclusionContext): Conclusion {
  let json: unknown;
  try {
    json = JSON.parse(text.replace(/^\s*```(?:json)?\s*|\s*```\s*$/g, ""));
  } catch {
    return { ok: false, reason: "the model's final answer was not JSON" };
  }
  const parsed = answerSchema.safeParse(json);
  if (!parsed.success) return { ok: false, reason: "the model's final answer did not match the schema" };
  const issueCode = new Map(context.issues.map((issue) => [issue.id, issue.code]));
  const succeeded = new Set(context.calls.filter((call) => call.status === "ok").map((call) => call.id));
  const claims: Claim[] = [];
  const dropped: { rootCause: string; reason: string }[] = [];
  for (const raw of parsed.data.claims) {
    const rootCause = raw.rootCause.slice(0, MAX_ROOT_CAUSE_CHARS);
    const issueIds = unique(raw.issueIds.filter((id) => issueCode.has(id)));
    if (issueIds.length === 0) {
      dropped.push({ rootCause, reason: "names no issue of this run" });
      continue;
    }
    const citations = unique(raw.citations.filter((id) => succeeded.has(id)));
    if (citations.length === 0) {
      dropped.push({ rootCause, reason: "cites no tool result" });
      continue;
    }
    const codes = new Set(issueIds.map((id) => issueCode.get(id)));
    const fitting = new Set(context.fixes.filter((fix) => fix.addresses.some((code) => codes.has(code))).map((fix) => fix.code));
    claims.push({
      issueIds,
      rootCause,
      confidence: raw.confidence,
      citations,
      linkedIssueIds: unique(raw.linkedIssueIds.filter((id) => issueCode.has(id) && !issueIds.includes(id))),
      suggestedActions: unique(raw.suggestedActions.filter((code) => fitting.has(code))),
    });
  }
  return { ok: true, claims, dropped };
}

const unique = (values: readonly string[]): string[] => [...new Set(values)];
