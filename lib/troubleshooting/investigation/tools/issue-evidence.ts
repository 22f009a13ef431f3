// The catalogue's own evidence for one finding of the run: what the check measured, its
// thresholds, and what the check is for.
import { z } from "zod";
import { type InvestigationTool, ToolRefusedError } from "./tool";

export const issueEvidence: InvestigationTool<{ issueId: string }> = {
  name: "issue_evidence",
  description: "The evidence the check recorded for one issue of this run (measurements, subject), with the check's description and thresholds. Start here for each issue.",
  args: z.object({ issueId: z.string().min(1).max(64).describe("an issue id of this run") }).strict(),
  async run({ issueId }, ctx) {
    const issue = ctx.issues.find((i) => i.id === issueId);
    if (!issue) throw new ToolRefusedError(`no issue ${issueId} in this run`);
    const check = ctx.checks.find((c) => c.code === issue.code);
    return {
      issue: { id: issue.id, code: issue.code, domain: issue.domain, severity: issue.severity, title: issue.title, subject: issue.subject, evidence: issue.evidence },
      check: check ? { code: check.code, title: check.title, description: check.description, thresholds: check.thresholds ?? {} } : null,
    };
  },
};
