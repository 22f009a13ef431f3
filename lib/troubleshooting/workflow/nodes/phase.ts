// Wraps a node in its phase: stops a cancelled run at the node boundary and emits the phase
// events that the report's phase timings are computed from.
import type { LangGraphRunnableConfig } from "@langchain/langgraph";
import { appendEvent, appendEventUnlessCancelled } from "../../runs/events";
import type { EngineDeps } from "../deps";
import type { Phase } from "../../report";
import type { RunStateUpdate, RunStateValue } from "../state";

export class RunCancelledError extends Error {
  constructor() {
    super("the run was cancelled");
    this.name = "RunCancelledError";
  }
}

async function assertNotCancelled(deps: EngineDeps, runId: string): Promise<void> {
  const run = await deps.prisma.troubleshootingRun.findUnique({ where: { id: runId }, select: { cancelRequested: true } });
  if (run?.cancelRequested) throw new RunCancelledError();
}

interface PhaseOptions {
  /** Emit phase_started (false for a node that continues a phase another node started). */
  announce?: boolean;
  /** Emit phase_completed (false for a node that must emit it itself, before its last step). */
  complete?: boolean;
  /** Extra payload for the phase events (e.g. which bot). */
  detail?: Record<string, unknown>;
}

export function inPhase(
  deps: EngineDeps,
  phase: Phase,
  work: (state: RunStateValue, signal: AbortSignal) => Promise<RunStateUpdate>,
  options: PhaseOptions = {},
) {
  return async (state: RunStateValue, config?: LangGraphRunnableConfig): Promise<RunStateUpdate> => {
    // The run's signal aborts on cancel in this process; nodes hand it to probes and fixes so
    // that work stops, not only the graph.
    const signal = config?.signal ?? new AbortController().signal;
    if (signal.aborted) throw new RunCancelledError();
    const announce = options.announce ?? true;
    const startedAt = new Date();
    if (announce) {
      // A cancelled run stops here; the phase's start is written in the same statement as the check.
      const seq = await appendEventUnlessCancelled(deps.prisma, state.runId, phase, "phase_started", { phase, ...options.detail });
      if (seq === null) throw new RunCancelledError();
    } else await assertNotCancelled(deps, state.runId);
    const update = await work(state, signal);
    // Cancelled while it worked (work that does not listen to the signal runs to its end): nothing
    // more is written for it, so nothing follows the run's run_cancelled event.
    if (signal.aborted) throw new RunCancelledError();
    if (options.complete ?? true) {
      // A phase several nodes share (resolution: plan, apply, apply after approval) lasts from its
      // start, as the report's phase spans do, not from its last node's.
      const since = announce ? startedAt : ((await phaseStartedAt(deps, state.runId, phase)) ?? startedAt);
      await appendEvent(deps.prisma, state.runId, phase, "phase_completed", { phase, durationMs: Date.now() - since.getTime(), ...options.detail });
    }
    return update;
  };
}

async function phaseStartedAt(deps: EngineDeps, runId: string, phase: Phase): Promise<Date | undefined> {
  const started = await deps.prisma.runEvent.findFirst({ where: { runId, phase, type: "phase_started" }, orderBy: { seq: "desc" }, select: { createdAt: true } });
  return started?.createdAt;
}
