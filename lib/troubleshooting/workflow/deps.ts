// What the graph's nodes need from outside, injected so that tests can vary it.
import type { PrismaClient } from "../../db";
import type { Env } from "../../env";
import { type AlertSettings, alertSettingsFrom } from "../../monitoring/alerts/settings";
import type { Check, FixActionDef, Thresholds } from "../catalogue";
import type { InvestigationTool } from "../investigation/tools/tool";
import { CHECKS } from "../checks";
import { FIX_ACTIONS } from "../fixes";
import { type Integrations, integrationsFromEnv } from "./integrations";
import type { SiteProbeOptions } from "../site/site-probe";
import { credentialsFromEnv } from "../site/credentials";
import { type ChatModelLoader, type Reasoner, chatModelFromEnv, llmReasoner, ruleReasoner } from "./reasoner";

export interface EngineSettings {
  checkTimeoutMs: number;
  diagnosticTimeoutMs: number;
  fixTimeoutMs: number;
  breakerThreshold: number;
  thresholdOverrides: Record<string, Thresholds>;
  /** Credentials for the target's protected endpoints, and the Chromium to use. */
  site?: SiteProbeOptions;
  /** The platform's revalidation, deploy-hook and Vercel settings, for the web fixes. */
  integrations?: Integrations;
  /** A running run whose heartbeat is older than this lost its process (default 60 s). */
  staleAfterMs?: number;
  /** Alert thresholds and delivery (unset: alerts are stored, never sent). */
  alerts?: AlertSettings;
  /** The configured target database URL: a run started elsewhere (the CLI) holds it redacted,
   * and a process that has it configured can still open it. */
  targetDatabaseUrl?: string;
  /** The add-on's secret (AUTH_SECRET): opens a stored target's sealed secrets in any process. */
  targetSecret?: string;
  /** The AI investigation's bounds (INVESTIGATION_*); unset: the defaults of lib/env.ts. */
  investigation?: InvestigationSettings;
}

/** How far the AI investigation may go in one run (see lib/env.ts for the defaults). */
export interface InvestigationSettings {
  /** How many of the top-ranked issues it is asked about (0: it does not run). */
  maxIssues: number;
  maxToolCalls: number;
  /** Input + output tokens over all its model calls. */
  maxTokens: number;
  toolTimeoutMs: number;
}

/** The chat model the investigator calls, with its name; null without OPENAI_API_KEY. */
export interface InvestigatorModel {
  load: ChatModelLoader;
  name: string;
  /** The tools it is offered (default: the registry, INVESTIGATION_TOOLS). */
  tools?: readonly InvestigationTool<never>[];
}

export interface EngineDeps {
  prisma: PrismaClient;
  reasoner: Reasoner;
  /** The model of the AI investigation; null (or unset): no investigation, and the report says so. */
  investigator?: InvestigatorModel | null;
  settings: EngineSettings;
  checks: readonly Check[];
  fixes: readonly FixActionDef<never>[];
}

/** The engine's dependencies from a validated configuration (a host's, or the standalone app's
 * environment) and the add-on's Prisma client. */
export function depsFromConfig(config: Env & { basePath?: string }, prisma: PrismaClient, overrides: Partial<EngineDeps> = {}): EngineDeps {
  const model = chatModelFromEnv(config);
  return {
    prisma,
    reasoner: model ? llmReasoner(model, config.OPENAI_MODEL, { timeoutMs: config.LLM_TIMEOUT_MS }) : ruleReasoner,
    investigator: model ? { load: model, name: config.OPENAI_MODEL } : null,
    settings: {
      checkTimeoutMs: config.CHECK_TIMEOUT_MS,
      diagnosticTimeoutMs: config.DIAGNOSTIC_TIMEOUT_MS,
      fixTimeoutMs: config.FIX_TIMEOUT_MS,
      breakerThreshold: config.BREAKER_THRESHOLD,
      thresholdOverrides: config.CHECK_THRESHOLDS,
      site: { credentials: credentialsFromEnv(config), chromiumPath: config.CHROMIUM_PATH ?? null },
      integrations: integrationsFromEnv(config),
      staleAfterMs: config.RUN_STALE_AFTER_SECONDS * 1_000,
      alerts: alertSettingsFrom(config, config.basePath),
      targetDatabaseUrl: config.targetDatabaseUrl,
      targetSecret: config.AUTH_SECRET,
      investigation: {
        maxIssues: config.INVESTIGATION_MAX_ISSUES,
        maxToolCalls: config.INVESTIGATION_MAX_TOOL_CALLS,
        maxTokens: config.INVESTIGATION_MAX_TOKENS,
        toolTimeoutMs: config.INVESTIGATION_TOOL_TIMEOUT_MS,
      },
    },
    checks: CHECKS,
    fixes: FIX_ACTIONS,
    ...overrides,
  };
}
