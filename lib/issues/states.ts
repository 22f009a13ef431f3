// The states an issue across runs (IssueGroup) can be in, and how a stored state reads at a given
// time: a snooze that has run out reads as open (it is stored as open the next time a run sees it).
import { z } from "zod";

export const ISSUE_STATES = ["open", "acknowledged", "snoozed", "ignored", "resolved"] as const;
export type IssueState = (typeof ISSUE_STATES)[number];
export const issueStateSchema = z.enum(ISSUE_STATES);

/** Who resolves a group that a later run no longer sees (stateByEmail). */
export const AUTO_RESOLVER = "troubleshooter";

/** The state as it reads at `now`: "snoozed" past `snoozedUntil` is "open". Unknown text reads open. */
export function effectiveState(state: string, snoozedUntil: Date | null, now = new Date()): IssueState {
  const parsed = issueStateSchema.safeParse(state);
  if (!parsed.success) return "open";
  if (parsed.data === "snoozed" && (!snoozedUntil || snoozedUntil.getTime() <= now.getTime())) return "open";
  return parsed.data;
}

/**
 * A finding's issue across runs, as a run report carries it (lib/troubleshooting/report.ts).
 * `id` is null while the run goes on (findings join their group when it ends); `state` reads at
 * the time the report was built; `ignored` is set when the group was ignored before the run was
 * scored, so the finding was left out of its health score.
 */
export const issueGroupRefSchema = z.object({
  id: z.string().nullable(),
  state: issueStateSchema,
  regression: z.boolean(),
  snoozedUntil: z.string().nullable(),
  ignored: z.object({ by: z.string(), reason: z.string() }).nullable(),
});
export type IssueGroupRef = z.infer<typeof issueGroupRefSchema>;

/** A finding's subject as grouping reads it (`evidence->>'subject'`, '' when absent). */
export function subjectKey(evidence: unknown): string {
  const subject = evidence && typeof evidence === "object" && !Array.isArray(evidence) ? (evidence as Record<string, unknown>).subject : undefined;
  // As Postgres's ->> gives it for scalars; a subject is a URL, table or pid, never an object.
  return typeof subject === "string" ? subject : typeof subject === "number" || typeof subject === "boolean" ? String(subject) : "";
}

/** The key of a finding's group within one target. */
export const groupKey = (code: string, subject: string) => `${code}\u0000${subject}`;
