// The shape of an investigation tool: one file per tool, listed in tools/index.ts. A tool is
// read-only by construction: it takes validated arguments that name things (an issue id, a pid,
// a table, a path on the target's origin), never SQL, a foreign URL or a command, and builds its
// own statements and requests from them.
import type { z } from "zod";
import type { PrismaClient } from "../../../db";
import type { Check, Target } from "../../catalogue";
import type { Credentials } from "../../site/credentials";
import type { Integrations } from "../../workflow/integrations";
import type { IssueRecord } from "../../workflow/state";

export interface ToolContext {
  runId: string;
  /** The target with its real database URL (openTarget): tools connect with it, never show it. */
  target: Target;
  /** Aborts at the per-call timeout (INVESTIGATION_TOOL_TIMEOUT_MS) or when the run is cancelled. */
  signal: AbortSignal;
  /** When `signal` aborts for the per-call timeout (epoch ms), when known: database tools keep
   * their statement_timeout under what is left of it. */
  deadline?: number;
  /** The add-on's own store: the run's logs, its issues and their evidence. */
  prisma: PrismaClient;
  /** The run's credentials for the target's own origin (sent only there, over verified https). */
  credentials: Credentials | null;
  /** The platform's integrations for this run (Vercel, when configured). */
  integrations: Integrations;
  /** The run's issues (all of them, not only those investigated). */
  issues: readonly IssueRecord[];
  /** The check catalogue, for a finding's check definition and thresholds. */
  checks: readonly Check[];
}

/** A call the tool will not make: the address policy, the read-only rule, an unknown subject.
 * Recorded as refused ("policy") with this message; the model is told why. */
export class ToolRefusedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ToolRefusedError";
  }
}

export interface InvestigationTool<A = unknown> {
  /** snake_case, as the model calls it. */
  name: string;
  /** What it returns and when to use it, for the model (its "role" in one or two sentences). */
  description: string;
  /** A zod object: validated before `run`; its JSON schema is what the model is offered. */
  args: z.ZodType<A>;
  /** Why it cannot be offered on this run (e.g. "no Vercel credentials"), or null. */
  unavailable?(ctx: Omit<ToolContext, "signal">): string | null;
  /** A JSON-serialisable result. Throws ToolRefusedError for what policy refuses; any other
   * error is recorded as the call's error, in its own words. */
  run(args: A, ctx: ToolContext): Promise<unknown>;
}
