// What an AI investigation of a run records: the tool calls the model made (each with an id it
// must cite), the claims it concluded with (only those citing a tool result survive), and what it
// cost. One zod schema shared by the report, the events, the run page and the exports.
import "../../zod-jitless";
import { z } from "zod";

/** Why a tool call was refused before running: not in the offered set, arguments that did not
 * parse, the address policy or the read-only rule, a repeat of an earlier call, or the budget. */
export const REFUSALS = ["unknown_tool", "invalid_arguments", "policy", "repeated", "budget"] as const;
export const refusalSchema = z.enum(REFUSALS);
export type Refusal = z.infer<typeof refusalSchema>;

/** One tool call as recorded (arguments and result with secrets redacted, result truncated). */
export const toolCallSchema = z.object({
  /** "T1", "T2"…: what the model cites. */
  id: z.string(),
  tool: z.string(),
  args: z.unknown(),
  status: z.enum(["ok", "refused", "error"]),
  /** For refused: which rule; for error: what failed (in the server's or the client's words). */
  refusal: refusalSchema.optional(),
  reason: z.string().optional(),
  /** The result as the model saw it (JSON text, at most a few KiB). */
  result: z.string().optional(),
  durationMs: z.number(),
});
export type ToolCallRecord = z.infer<typeof toolCallSchema>;

export const confidenceSchema = z.enum(["low", "medium", "high"]);

/** A root-cause statement for one or more of the run's issues, with the tool results it rests on. */
export const claimSchema = z.object({
  issueIds: z.array(z.string()).min(1),
  rootCause: z.string().min(1).max(1_500),
  confidence: confidenceSchema,
  /** Tool call ids ("T3") whose results support the claim; at least one that succeeded. */
  citations: z.array(z.string()).min(1),
  /** Other issues of the run the model found to share this cause. */
  linkedIssueIds: z.array(z.string()).default([]),
  /** Catalogue fix action codes it suggests (never new ones: unknown codes are dropped). */
  suggestedActions: z.array(z.string()).default([]),
});
export type Claim = z.infer<typeof claimSchema>;

/** A claim the model made that was not kept, and why (no valid citation, unknown issue…). */
export const droppedClaimSchema = z.object({ rootCause: z.string(), reason: z.string() });

/** What the investigation cost: model calls, tool calls, tokens and wall time (ms). */
export const investigationCostSchema = z.object({
  modelCalls: z.number().int(),
  toolCalls: z.number().int(),
  inputTokens: z.number().int(),
  outputTokens: z.number().int(),
  durationMs: z.number(),
});
export type InvestigationCost = z.infer<typeof investigationCostSchema>;

/**
 * not_run: nothing was asked of a model (no OPENAI_API_KEY, no issue, turned off; `reason` says
 * which). completed: the model concluded. budget_exhausted: the tool-call or token budget ran out
 * before it did (claims made until then are kept). failed: the model call failed or its final
 * answer could not be used (`reason`); the run goes on without it.
 */
export const investigationStatusSchema = z.enum(["not_run", "running", "completed", "budget_exhausted", "failed"]);

export const investigationSchema = z.object({
  status: investigationStatusSchema,
  reason: z.string().optional(),
  model: z.string().optional(),
  /** The issues it was asked about, most important first. */
  issueIds: z.array(z.string()),
  toolCalls: z.array(toolCallSchema),
  claims: z.array(claimSchema),
  dropped: z.array(droppedClaimSchema),
  cost: investigationCostSchema,
});
export type Investigation = z.infer<typeof investigationSchema>;

export const EMPTY_COST: InvestigationCost = { modelCalls: 0, toolCalls: 0, inputTokens: 0, outputTokens: 0, durationMs: 0 };

/** The investigation record of a run in which it did not run, and why. */
export function notRun(reason: string): Investigation {
  return { status: "not_run", reason, issueIds: [], toolCalls: [], claims: [], dropped: [], cost: EMPTY_COST };
}

/** Event payloads (RunEvent.payload) of the investigation, in the order a run emits them:
 * investigation_started once, investigation_tool_call per call, investigation_completed once
 * (with the whole record, also stored on the run). */
export const investigationStartedSchema = z.object({ issueIds: z.array(z.string()), model: z.string().optional(), tools: z.array(z.string()) });
export const investigationToolCallEventSchema = toolCallSchema;
export const investigationCompletedSchema = investigationSchema;
