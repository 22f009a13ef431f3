// A fix bot plans catalogue actions for the issues of its domain and applies them under the
// fix timeout. It never decides about approval: the resolution phase does.
import { TaskCancelledError } from "cockatiel";
import type { FixActionDef, FixContext, FixResult, IssueView, PlanContext, Target } from "../../catalogue";
import { type Integrations, configuredIntegrations } from "../integrations";
import type { Credentials } from "../../site/credentials";
import { FIX_ACTIONS, candidateFixes } from "../../fixes";
import { withDeadline } from "../../probes/resilience";
import { type Domain, type LlmUsage, addUsage } from "../../report";
import { type Reasoner, ruleReasoner } from "../reasoner";

interface PlannedAction {
  issueId: string;
  code: string;
  title: string;
  risk: FixActionDef["risk"];
  params: unknown;
  detail: string;
}

/** Where fixes apply: the target, and the platform integrations and credentials configured for it. */
export interface FixEnvironment {
  target: Target;
  integrations?: Integrations;
  credentials?: Credentials | null;
}

export type IssueInput = IssueView & { title: string; domain: Domain };

export interface StandaloneResolution {
  action: PlannedAction;
  status: "applied" | "failed" | "pending_approval" | "advice";
  detail: string;
}

export interface PlanResult {
  actions: PlannedAction[];
  /** Choices the reasoner's model made, and why others fell back to the rules. */
  modelChoices: number;
  fallbackReasons: string[];
  usage?: LlmUsage;
}

export function createFixBot(domain: Domain, catalogue: readonly FixActionDef<never>[] = FIX_ACTIONS) {
  const own = catalogue.filter((action) => action.domain === domain);
  const bot = {
    domain,
    name: `${domain}-fix`,
    /** Plans actions for the issues of this bot's domain; the reasoner may drop candidates, never add. */
    async planActions(issues: IssueInput[], reasoner: Reasoner = ruleReasoner, context: PlanContext = { integrations: new Set() }): Promise<PlanResult> {
      const actions: PlannedAction[] = [];
      const fallbackReasons: string[] = [];
      let modelChoices = 0;
      let usage: LlmUsage | undefined;
      for (const issue of issues.filter((i) => i.domain === domain)) {
        // An action already planned with the same parameters (a redeploy for ten broken pages)
        // is planned once, for the highest-ranked issue.
        const candidates = candidateFixes(issue, own, context).filter(
          (c) => !actions.some((a) => a.code === c.action.code && JSON.stringify(a.params) === JSON.stringify(c.params)),
        );
        if (candidates.length === 0) continue;
        const chosen = await reasoner.chooseFixes(
          { id: issue.id, code: issue.code, title: issue.title },
          candidates.map(({ action }) => ({ code: action.code, title: action.title, description: action.description, risk: action.risk })),
        );
        usage = addUsage(usage, chosen.usage);
        if (chosen.fallbackReason) fallbackReasons.push(chosen.fallbackReason);
        else if (reasoner.model) modelChoices++;
        for (const { action, params } of candidates.filter((c) => chosen.value.includes(c.action.code))) {
          actions.push({ issueId: issue.id, code: action.code, title: action.title, risk: action.risk, params, detail: action.describe(params as never) });
        }
      }
      return { actions, modelChoices, fallbackReasons, usage };
    },
    /** Applies one planned action (parameters re-validated against the catalogue's schema). */
    async applyAction(code: string, params: unknown, environment: FixEnvironment, timeoutMs: number, signal?: AbortSignal): Promise<FixResult> {
      const action = own.find((a) => a.code === code);
      if (!action) return { ok: false, detail: `${code} is not in the ${domain} fix catalogue` };
      if (action.risk === "advice") return { ok: false, detail: "advice is not applied" };
      const parsed = action.params.safeParse(params);
      if (!parsed.success) return { ok: false, detail: "the planned parameters are not valid for this action" };
      try {
        const context = (deadline: AbortSignal): FixContext => ({ integrations: {}, credentials: null, ...environment, signal: deadline });
        return await withDeadline(timeoutMs, (deadline) => action.apply(parsed.data, context(deadline)), signal);
      } catch (err) {
        return { ok: false, detail: err instanceof TaskCancelledError ? `timed out after ${timeoutMs} ms` : `failed (${err instanceof Error ? err.name : "error"})` };
      }
    },
    /** For library use outside a run: plan, apply what is safe, and return the rest as pending
     * (needs approval) or advice. Nothing is verified here; a run's verification phase does that. */
    async resolveIssues(issues: IssueInput[], options: FixEnvironment & { timeoutMs?: number; reasoner?: Reasoner }): Promise<StandaloneResolution[]> {
      const { actions } = await bot.planActions(issues, options.reasoner, { integrations: configuredIntegrations(options.integrations ?? {}) });
      const results: StandaloneResolution[] = [];
      for (const action of actions) {
        if (action.risk !== "safe") {
          results.push({ action, status: action.risk === "advice" ? "advice" : "pending_approval", detail: action.detail });
          continue;
        }
        const outcome = await bot.applyAction(action.code, action.params, options, options.timeoutMs ?? 60_000);
        results.push({ action, status: outcome.ok ? "applied" : "failed", detail: outcome.detail });
      }
      return results;
    },
  };
  return bot;
}

export interface StandaloneResolution {
  action: PlannedAction;
  status: "applied" | "failed" | "pending_approval" | "advice";
  detail: string;
}
