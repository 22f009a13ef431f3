// The troubleshooting workflow as a LangGraph StateGraph.
//
//   START → initialize → assess ─┬─ diagnose_web ──────┐
//                                ├─ diagnose_database ─┼─→ prioritize ─┬─(issues)─→ investigate → plan_fixes → apply_safe → resolve → verify → report → END
//                                └─ diagnose_network ──┘               └─(none)───────────────────────────────────────────────────────────────→ report
//
// Phases: initialize = initialization, assess = system assessment, diagnose_* = diagnostics (in
// parallel), prioritize + investigate (the AI investigation, a subgraph of its own) = issue
// prioritization, plan_fixes + apply_safe + resolve = resolution
// (resolve may interrupt() once for approvals), verify = verification, report = final report.
import { type BaseCheckpointSaver, END, START, StateGraph } from "@langchain/langgraph";
import type { EngineDeps } from "./deps";
import { appendEvent } from "../runs/events";
import { assessNode } from "./nodes/assess";
import { diagnoseNode } from "./nodes/diagnose";
import { investigateNode } from "./nodes/investigate";
import { inPhase } from "./nodes/phase";
import { planFixesNode } from "./nodes/plan-fixes";
import { prioritizeNode } from "./nodes/prioritize";
import { reportNode } from "./nodes/report";
import { applySafeNode, resolveNode } from "./nodes/resolve";
import { verifyNode } from "./nodes/verify";
import { redactDatabaseUrl } from "../probes/database";
import { RunState, type RunStateValue } from "./state";

function initializeNode(deps: EngineDeps) {
  return inPhase(deps, "initialization", async (state: RunStateValue) => {
    const { target, ...rest } = state.config;
    await appendEvent(deps.prisma, state.runId, "initialization", "run_started", {
      config: { ...rest, target: { ...target, databaseUrl: redactDatabaseUrl(target.databaseUrl) } }, // createRun seals it; graphs invoked directly may not
    });
    return {};
  });
}

export function buildTroubleshootingGraph(deps: EngineDeps, checkpointer: BaseCheckpointSaver) {
  return new StateGraph(RunState)
    .addNode("initialize", initializeNode(deps))
    .addNode("assess", assessNode(deps))
    .addNode("diagnose_web", diagnoseNode(deps, "web"))
    .addNode("diagnose_database", diagnoseNode(deps, "database"))
    .addNode("diagnose_network", diagnoseNode(deps, "network"))
    .addNode("prioritize", prioritizeNode(deps))
    .addNode("investigate", investigateNode(deps))
    .addNode("plan_fixes", planFixesNode(deps))
    .addNode("apply_safe", applySafeNode(deps))
    .addNode("resolve", resolveNode(deps))
    .addNode("verify", verifyNode(deps))
    .addNode("report", reportNode(deps))
    .addEdge(START, "initialize")
    .addEdge("initialize", "assess")
    .addEdge("assess", "diagnose_web")
    .addEdge("assess", "diagnose_database")
    .addEdge("assess", "diagnose_network")
    .addEdge(["diagnose_web", "diagnose_database", "diagnose_network"], "prioritize")
    .addConditionalEdges("prioritize", (state: RunStateValue) => (state.issues.length > 0 ? "investigate" : "report"), ["investigate", "report"])
    .addEdge("investigate", "plan_fixes")
    .addEdge("plan_fixes", "apply_safe")
    .addEdge("apply_safe", "resolve")
    .addEdge("resolve", "verify")
    .addEdge("verify", "report")
    .addEdge("report", END)
    .compile({ checkpointer });
}

export type TroubleshootingGraph = ReturnType<typeof buildTroubleshootingGraph>;
