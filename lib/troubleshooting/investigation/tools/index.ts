// The investigation's tools: a fixed set, all read-only. Adding one is adding a file and a line.
import { issueEvidence } from "./issue-evidence";
import type { InvestigationTool } from "./tool";

export const INVESTIGATION_TOOLS: readonly InvestigationTool<never>[] = [
  issueEvidence,
] as InvestigationTool<never>[];
