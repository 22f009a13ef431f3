// The shapes of the check and fix-action catalogues. One check or action per file; the
// registries (checks/index.ts, fixes/index.ts) list them.
import type { z } from "zod";
import type { CheckMemory } from "./workflow/memory";
import type { IntegrationName, Integrations } from "./workflow/integrations";
import type { Credentials } from "./site/credentials";
import type { SiteProbe } from "./site/site-probe";
import type { Domain, Severity } from "./report";

export interface Target {
  baseUrl: string;
  databaseUrl: string;
  /** API endpoints (absolute URLs) the network bot samples besides those the pages use; none
   * (and none found on the pages) means the base URL. */
  endpoints: string[];
  /** Which of `endpoints` come from a preset: candidates, judged only where the target serves them. */
  presetEndpoints?: string[];
  /** Status an endpoint must answer, by URL, where it differs from the default expectation. */
  expectedStatus?: Record<string, number>;
  /** Pages the web bot checks; none means the base URL plus the pages its links lead to. */
  pages?: string[];
  /** How many pages discovery checks (default 20). */
  crawlLimit?: number;
  /** Extra CA certificates (PEM) the target's certificate may chain to. */
  caCertificates?: string | null;
  /** The target's prisma/migrations folder, when known (drift check). */
  migrationsDir?: string | null;
  browser: boolean;
}

export type Thresholds = Record<string, number>;

export interface CheckContext {
  target: Target;
  signal: AbortSignal;
  /** The check's thresholds: its defaults, with the operator's overrides (CHECK_THRESHOLDS). */
  thresholds: Thresholds;
  /** Consecutive failures before a dependency's circuit breaker opens. */
  breakerThreshold: number;
  /** Values from earlier runs (counters, sizes). */
  memory: CheckMemory;
  /** The target's pages, assets and endpoints, fetched once per bot run and shared. */
  site: SiteProbe;
}

/** A finding before it is stored. `subject` identifies what it is about (a pid, a URL, a table)
 * so that duplicates merge and verification can tell whether this very finding is gone. */
export interface IssueDraft {
  severity: Severity;
  title: string;
  description: string;
  subject: string;
  evidence: Record<string, unknown>;
  recommendation?: string;
}

export type CheckOutcome =
  | { status: "passed"; evidence?: Record<string, unknown>; note?: string }
  | { status: "issues"; issues: IssueDraft[]; note?: string }
  | { status: "skipped"; reason: string }
  | { status: "error"; reason: string };

export interface Check {
  code: string;
  domain: Domain;
  title: string;
  description: string;
  /** Documented defaults, overridable per check code by configuration. */
  thresholds?: Thresholds;
  run(ctx: CheckContext): Promise<CheckOutcome>;
}

/** What a fix action sees of the issue it addresses. */
export interface IssueView {
  id: string;
  code: string;
  subject: string;
  evidence: Record<string, unknown>;
}

/** What planning may know of the environment: which platform integrations exist, not their secrets. */
export interface PlanContext {
  integrations: ReadonlySet<IntegrationName>;
}

export interface FixContext {
  target: Target;
  signal: AbortSignal;
  /** The platform's revalidation, deploy-hook and Vercel settings (secrets stay in this process). */
  integrations: Integrations;
  credentials: Credentials | null;
}

export interface FixResult {
  ok: boolean;
  detail: string;
  /** Set when the apply changed nothing on the target: "none" (already ended, refused, nothing to
   * do) or "persists" (a re-probe ran as planned and confirmed the problem). The report shows such
   * an action as "no effect" / "still failing", never "applied" (see fixes/effect.ts). */
  effect?: "none" | "persists";
}

type FixRisk = "safe" | "needs_approval" | "advice";

export interface FixActionDef<P = unknown> {
  code: string;
  domain: Domain;
  title: string;
  description: string;
  /** Check codes whose issues this action can address. */
  addresses: string[];
  risk: FixRisk;
  /** Typed parameters; the only thing a plan (or an LLM choosing among plans) can vary. */
  params: z.ZodType<P>;
  /** Parameters for this issue, or null when the action does not apply to it (or needs an
   * integration that is not configured). */
  plan(issue: IssueView, context?: PlanContext): P | null;
  /** Exact steps for the admin (advice actions), or what will happen (others). */
  describe(params: P): string;
  apply(params: P, ctx: FixContext): Promise<FixResult>;
}
