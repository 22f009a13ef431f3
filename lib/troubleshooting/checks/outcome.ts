import type { CheckOutcome, IssueDraft } from "../catalogue";

/** Passed with the evidence, or the issues found. */
export function outcome(issues: IssueDraft[], evidence: Record<string, unknown>): CheckOutcome {
  return issues.length === 0 ? { status: "passed", evidence } : { status: "issues", issues };
}
