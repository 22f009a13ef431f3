// The run report: one zod schema shared by the API, the CLI and the UI. Documented in README.
import "../zod-jitless";
import { z } from "zod";
import { issueGroupRefSchema } from "../issues/states";
import { investigationSchema } from "./investigation/schema";

export const DOMAINS = ["web", "database", "network"] as const;
export const domainSchema = z.enum(DOMAINS);
export type Domain = z.infer<typeof domainSchema>;

export const SEVERITIES = ["critical", "high", "medium", "low", "info"] as const;
export const severitySchema = z.enum(SEVERITIES);
export type Severity = z.infer<typeof severitySchema>;

export const PHASES = [
  "initialization",
  "system_assessment",
  "diagnostics",
  "issue_prioritization",
  "resolution",
  "verification",
  "final_report",
] as const;
export const phaseSchema = z.enum(PHASES);

/** What a run's event log (and its SSE stream) can say. */
export const RUN_EVENT_TYPES = [
  "run_queued",
  "run_started",
  "phase_started",
  "phase_completed",
  "phase_skipped",
  "system_assessed",
  "check_completed",
  "bot_degraded",
  "issue_found",
  "issues_prioritized",
  "investigation_started",
  "investigation_tool_call",
  "investigation_completed",
  "action_planned",
  "approval_required",
  "action_decided",
  "action_applied",
  "action_failed",
  "issue_verified",
  "run_completed",
  "run_failed",
  "run_cancelled",
  "run_interrupted",
  "run_resumed",
] as const;
export type RunEventType = (typeof RUN_EVENT_TYPES)[number];
export type Phase = z.infer<typeof phaseSchema>;

export const runStatusSchema = z.enum(["queued", "running", "awaiting_approval", "completed", "failed", "cancelled", "interrupted"]);
export type RunStatus = z.infer<typeof runStatusSchema>;
/** A run in one of these may still change; the others are final. */
export const ACTIVE_RUN_STATUSES = ["queued", "running", "awaiting_approval"] as const satisfies readonly RunStatus[];
export const isActiveRun = (status: string) => (ACTIVE_RUN_STATUSES as readonly string[]).includes(status);
/** A run in one of these is over for good: its figures go to the history, its errors and alerts
 * are judged. (An interrupted run is neither active nor final: it can be resumed.) */
export const FINAL_RUN_STATUSES = ["completed", "failed", "cancelled"] as const satisfies readonly RunStatus[];
export const isFinalRun = (status: string) => (FINAL_RUN_STATUSES as readonly string[]).includes(status);

const checkStatusSchema = z.enum(["passed", "issues", "skipped", "error"]);
export type CheckStatus = z.infer<typeof checkStatusSchema>;

export const checkResultSchema = z.object({
  code: z.string(),
  domain: domainSchema,
  status: checkStatusSchema,
  durationMs: z.number(),
  reason: z.string().optional(),
  /** What the check saw, in a sentence (e.g. how many pages it found and checked, and how). */
  note: z.string().optional(),
});
export type CheckResult = z.infer<typeof checkResultSchema>;

const issueStatusSchema = z.enum(["open", "resolved", "unresolved", "acknowledged"]);

const reportIssueSchema = z.object({
  id: z.string(),
  code: z.string(),
  domain: domainSchema,
  severity: severitySchema,
  title: z.string(),
  description: z.string(),
  evidence: z.record(z.string(), z.unknown()),
  status: issueStatusSchema,
  detectedBy: z.string(),
  rank: z.number().int().nullable(),
  relatedIds: z.array(z.string()),
  recommendation: z.string().nullable(),
  /** Its issue across runs (lib/issues), when it has one; absent in reports stored before. */
  group: issueGroupRefSchema.nullable().optional(),
});
export type ReportIssue = z.infer<typeof reportIssueSchema>;

/** What became of a fix action. pending_approval: waiting for a person's decision (the only one with
 * Approve/Reject); approved: decided (or a safe action), not yet applied; applied: it changed the
 * target; no_effect: it ran but changed nothing (already gone, refused, nothing to do: see detail);
 * still_failing: a re-probe ran and confirmed the problem persists (not a fault of the fix
 * machinery); failed: it could not be applied. */
const actionStatusSchema = z.enum(["applied", "failed", "pending_approval", "rejected", "skipped", "advice", "approved", "no_effect", "still_failing"]);
export type ActionStatus = z.infer<typeof actionStatusSchema>;

const reportActionSchema = z.object({
  id: z.string(),
  issueIds: z.array(z.string()),
  code: z.string(),
  title: z.string(),
  risk: z.enum(["safe", "needs_approval", "advice"]),
  status: actionStatusSchema,
  verified: z.boolean().nullable(),
  detail: z.string().nullable(),
  decidedBy: z.string().nullable(),
});
export type ReportAction = z.infer<typeof reportActionSchema>;

const phaseRecordSchema = z.object({
  name: phaseSchema,
  /** cancelled, interrupted, failed: the run ended with the phase unfinished. */
  status: z.enum(["completed", "skipped", "failed", "cancelled", "interrupted", "running"]),
  startedAt: z.string(),
  durationMs: z.number(),
});
export type PhaseRecord = z.infer<typeof phaseRecordSchema>;

const healthScoreSchema = z.object({
  before: z.number().int().min(0).max(100).nullable(),
  after: z.number().int().min(0).max(100).nullable(),
  byDomain: z.record(z.string(), z.object({ before: z.number().nullable(), after: z.number().nullable() })),
});

/** What the LLM calls of a run cost: calls, their total wall time and tokens. */
const llmUsageSchema = z.object({ calls: z.number().int(), latencyMs: z.number(), inputTokens: z.number().int(), outputTokens: z.number().int() });
export type LlmUsage = z.infer<typeof llmUsageSchema>;

export function addUsage(a: LlmUsage | undefined, b: LlmUsage | undefined): LlmUsage | undefined {
  if (!a || !b) return a ?? b;
  return { calls: a.calls + b.calls, latencyMs: a.latencyMs + b.latencyMs, inputTokens: a.inputTokens + b.inputTokens, outputTokens: a.outputTokens + b.outputTokens };
}

export const llmInfoSchema = z.object({
  used: z.boolean(),
  model: z.string().optional(),
  fallbackReason: z.string().optional(),
  usage: llmUsageSchema.optional(),
});
export type LlmInfo = z.infer<typeof llmInfoSchema>;

/** One piece of advice given once, with every issue (and its subject: URL, table, session…) it
 * applies to; `severity` is the most severe of those issues. Ordered most severe first. */
export const adviceGroupSchema = z.object({
  /** The advice action's title, or null for an issue's own recommendation. */
  title: z.string().nullable(),
  text: z.string(),
  severity: severitySchema,
  issueIds: z.array(z.string()),
  subjects: z.array(z.string()),
});
export type AdviceGroup = z.infer<typeof adviceGroupSchema>;

export const runReportSchema = z.object({
  runId: z.string(),
  status: runStatusSchema,
  success: z.boolean(),
  trigger: z.enum(["manual", "cron", "api", "cli"]),
  target: z.object({ baseUrl: z.string(), database: z.string(), endpoints: z.array(z.string()) }),
  initialIssue: z.string().nullable(),
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
  durationMs: z.number().nullable(),
  healthScore: healthScoreSchema,
  degradedDomains: z.array(domainSchema),
  phases: z.array(phaseRecordSchema),
  checks: z.array(checkResultSchema),
  issues: z.array(reportIssueSchema),
  actions: z.array(reportActionSchema),
  summary: z.string(),
  /** The advice as text, most severe first, identical advice once (see `advice` for its parts). */
  recommendations: z.array(z.string()),
  /** The same advice with the issues it applies to (absent in reports stored before it existed). */
  advice: z.array(adviceGroupSchema).optional(),
  llm: llmInfoSchema,
  /** The AI investigation of the top issues (absent in reports stored before it existed). */
  investigation: investigationSchema.optional(),
  statusReason: z.string().nullable(),
});
export type RunReport = z.infer<typeof runReportSchema>;
