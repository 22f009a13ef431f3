// The graph's state. Everything here is JSON (it is checkpointed in Postgres).
import { Annotation } from "@langchain/langgraph";
import type { Target } from "../catalogue";
import type { Triage } from "./coordinator";
import type { HealthScores } from "./health-score";
import { type CheckResult, type Domain, type LlmInfo, type Severity, addUsage } from "../report";

export type AutoApprove = "none" | "safe";

export interface RunConfig {
  initialIssue: string | null;
  domains: Domain[];
  autoApprove: AutoApprove;
  target: Target;
}

export interface SystemInfo {
  baseUrl: { reachable: boolean; status?: number; ttfbMs?: number; error?: string; nextBuildId?: string | null };
  database: { reachable: boolean; serverVersion?: string; settings?: Record<string, string>; error?: string };
  endpoints: string[];
  browser: { available: boolean; reason: string };
}

export interface IssueRecord {
  id: string;
  code: string;
  domain: Domain;
  severity: Severity;
  title: string;
  subject: string;
  evidence: Record<string, unknown>;
}

export interface ActionRecord {
  id: string;
  issueId: string;
  code: string;
  domain: Domain;
  risk: "safe" | "needs_approval" | "advice";
}

const byId = <T extends { id: string }>(current: T[], update: T[]): T[] => {
  const merged = new Map(current.map((item) => [item.id, item]));
  for (const item of update) merged.set(item.id, item);
  return [...merged.values()];
};

const mergeLlm = (current: LlmInfo, update: LlmInfo): LlmInfo => ({
  used: current.used || update.used,
  model: update.model ?? current.model,
  fallbackReason: current.fallbackReason ?? update.fallbackReason,
  usage: addUsage(current.usage, update.usage),
});

export const RunState = Annotation.Root({
  runId: Annotation<string>(),
  config: Annotation<RunConfig>(),
  triage: Annotation<Triage | null>({ reducer: (_, next) => next, default: () => null }),
  checks: Annotation<CheckResult[]>({ reducer: (a, b) => a.concat(b), default: () => [] }),
  degraded: Annotation<Domain[]>({ reducer: (a, b) => [...new Set([...a, ...b])], default: () => [] }),
  issues: Annotation<IssueRecord[]>({ reducer: byId, default: () => [] }),
  actions: Annotation<ActionRecord[]>({ reducer: byId, default: () => [] }),
  llm: Annotation<LlmInfo>({ reducer: mergeLlm, default: () => ({ used: false }) }),
  healthBefore: Annotation<HealthScores | null>({ reducer: (_, next) => next, default: () => null }),
});

export type RunStateValue = typeof RunState.State;
export type RunStateUpdate = typeof RunState.Update;
