// One check, as the diagnostic bots and verification run it: under its own time limit (time spent
// waiting for the shared crawl or browser visit does not count), with its thresholds overridden
// by the operator's, an "error" outcome thrown so that a circuit breaker counts it.
import { setMaxListeners } from "node:events";
import { BrokenCircuitError } from "cockatiel";
import type { Check, CheckContext, CheckOutcome, Thresholds } from "../../catalogue";
import { withOwnTimeLimit } from "../../probes/resilience";
import { waitingThrough } from "../../site/site-probe";

type CheckInputs = Omit<CheckContext, "signal" | "thresholds"> & { overrides?: Thresholds };

export async function runCheck(check: Check, inputs: CheckInputs, timeoutMs: number, parent: AbortSignal): Promise<CheckOutcome> {
  const { overrides, ...context } = inputs;
  return withOwnTimeLimit(timeoutMs, parent, async (signal, paused) => {
    setMaxListeners(100, signal); // a check may probe many endpoints at once
    const result = await check.run({ ...context, signal, thresholds: { ...check.thresholds, ...overrides }, site: waitingThrough(context.site, paused) });
    if (result.status === "error") throw new CheckFailed(result.reason);
    return result;
  });
}

class CheckFailed extends Error {}

/** What runCheck's rejection means, as the reason of an "error" outcome. */
export function failureReason(err: unknown): string {
  // Its own time limit (OwnTimeExceeded) or the caller's deadline (a TimeoutError DOMException).
  if (err instanceof CheckFailed || (err instanceof Error && err.name === "TimeoutError")) return err.message;
  if (err instanceof BrokenCircuitError) return "skipped by the circuit breaker: this dependency failed repeatedly; retried after 30 s";
  return `the check crashed (${err instanceof Error ? err.name : "error"})`;
}
