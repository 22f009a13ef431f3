// A fix that ran but changed nothing says so in its result. The run stores the result as returned
// (FixAction.result), and the report shows such an action as "no effect" or "still failing" with
// its reason, never as "applied" (nor as a failure of the fix machinery).
import type { FixResult } from "../catalogue";

export type FixEffect = NonNullable<FixResult["effect"]>;

/** The apply changed nothing. `ok` keeps its meaning for the run: true when the diagnosed
 * condition is gone anyway (verification re-checks the issue), false when it is still there
 * (e.g. the session belongs to a superuser). */
export function noEffect(detail: string, ok: boolean): FixResult {
  return { ok, detail, effect: "none" };
}

/** A re-probe ran and confirmed the problem persists: not applied, and not a fault of the fix. */
export function persists(detail: string): FixResult {
  return { ok: false, detail, effect: "persists" };
}

/** The effect recorded in a stored result (FixAction.result JSON), or null. */
export function effectOf(result: unknown): FixEffect | null {
  const effect = typeof result === "object" && result !== null ? (result as { effect?: unknown }).effect : undefined;
  return effect === "none" || effect === "persists" ? effect : null;
}
