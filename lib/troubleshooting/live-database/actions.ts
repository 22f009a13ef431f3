// Cancel a query or terminate a blocking session from the live view, through the very catalogue
// fix actions a run applies (db.cancel_query, db.terminate_blocking_session): the same re-checks
// (same pid *and* same query or transaction start, not a superuser's, not our own, the role may),
// the same server words in the result. The admin's confirmation is the approval these actions
// need; the route audits it.
import { z } from "zod";
import type { FixActionDef, FixResult } from "../catalogue";
import { dbCancelQuery } from "../fixes/database/cancel-query";
import { dbTerminateBlockingSession } from "../fixes/database/terminate-blocking-session";
import type { LiveTarget } from "./target";

export const sessionActionSchema = z.object({
  /** Absent: the default target. */
  target: z.string().min(1).max(100).optional(),
  /** A bound integer, never SQL. */
  pid: z.number().int().positive().max(2_147_483_647),
  action: z.enum(["cancel", "terminate"]),
  /** The session's identity as the view showed it (pids are reused): query_start for a cancel,
   * xact_start for a terminate. */
  since: z.iso.datetime(),
});
export type SessionActionRequest = z.infer<typeof sessionActionSchema>;

export interface SessionActionResult {
  /** applied: the query or session ended; no_effect: nothing done (already gone, a superuser's,
   * not permitted, no longer blocking); failed: signalled but still there. */
  result: "applied" | "no_effect" | "failed";
  /** The fix's own words (PostgreSQL's message and SQLSTATE when it refused). */
  detail: string;
  fix: string;
}

const outcome = (r: FixResult): SessionActionResult["result"] => (r.effect ? "no_effect" : r.ok ? "applied" : "failed");

export async function applySessionAction(live: LiveTarget, request: SessionActionRequest, signal: AbortSignal): Promise<SessionActionResult> {
  const { since } = request; // to the microsecond: a Date would round it and never match
  const context = { target: live.target, signal, integrations: {}, credentials: null };
  const [fix, result] =
    request.action === "cancel"
      ? [dbCancelQuery as FixActionDef<never>, await dbCancelQuery.apply(dbCancelQuery.params.parse({ pid: request.pid, queryStart: since }), context)]
      : [dbTerminateBlockingSession as FixActionDef<never>, await dbTerminateBlockingSession.apply(dbTerminateBlockingSession.params.parse({ pid: request.pid, xactStart: since }), context)];
  return { result: outcome(result), detail: result.detail, fix: fix.code };
}
