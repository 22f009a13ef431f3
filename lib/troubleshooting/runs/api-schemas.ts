// What the runs API accepts.
import { z } from "zod";
import { domainSchema, runStatusSchema, severitySchema } from "../report";

export const startRunSchema = z.strictObject({
  initialIssue: z.string().trim().max(2_000, "at most 2000 characters").optional(),
  domains: z.array(domainSchema).min(1, "pick at least one domain").optional(),
  autoApprove: z.enum(["none", "safe"]).optional(),
  /** "manual" when an admin started it from the dashboard; a label, not a permission. */
  trigger: z.enum(["manual", "api"]).default("api"),
  /** The target's name: "default" (or absent) is the configured one, others are stored targets. */
  target: z.string().trim().min(1, "name a target").max(64, "at most 64 characters").optional(),
});

export const listRunsSchema = z.object({
  status: runStatusSchema.optional(),
  trigger: z.enum(["manual", "cron", "api", "cli"]).optional(),
  domain: domainSchema.optional(),
  severity: severitySchema.optional(),
  page: z.coerce.number().int().min(1).max(1_000, "use cursor= to page further").default(1),
  /** Keyset paging (nextCursor of the previous answer). */
  cursor: z.string().max(80).optional(),
  pageSize: z.coerce.number().int().min(1).max(100).default(20),
  /** A target's name ("default": the configured one); absent: all targets. */
  target: z.string().trim().min(1).max(64).optional(),
});

export const decisionSchema = z.strictObject({
  actionId: z.string().min(1).max(64),
  decision: z.enum(["approve", "reject"]),
  comment: z.string().trim().max(1_000).optional(),
});

export const runIdSchema = z.string().regex(/^[a-z0-9]{20,40}$/, "not a run id");

/** The [runId] route segment, validated (422 with a `runId` field message when malformed). */
export function parseRunId(params: { runId?: string }): string {
  return z.object({ runId: runIdSchema }).parse(params).runId;
}
