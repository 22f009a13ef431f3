import type { IssueState } from "../../../issues/states";
import { formatTime } from "../run/labels";

const STATE_STYLE: Record<IssueState, string> = {
  open: "tr:text-amber-700 tr:dark:text-amber-300",
  acknowledged: "tr:text-indigo-700 tr:dark:text-indigo-300",
  snoozed: "tr:text-slate-700 tr:dark:text-slate-200",
  ignored: "tr:text-slate-700 tr:dark:text-slate-200",
  resolved: "tr:text-green-700 tr:dark:text-green-300",
};

/** An issue's state in words ("snoozed until …"), with a "regression" badge when it came back
 * after being resolved. Plain markup: used by server pages and the run page's client table. */
export function IssueStateText({ state, regression, snoozedUntil }: { state: IssueState; regression: boolean; snoozedUntil?: string | null }) {
  return (
    <span className="tr:inline-flex tr:flex-wrap tr:items-center tr:gap-1.5" data-testid="issue-state" data-state={state}>
      <span className={`tr:font-medium ${STATE_STYLE[state]}`}>
        {state}
        {state === "snoozed" && snoozedUntil ? ` until ${formatTime(snoozedUntil)}` : ""}
      </span>
      {regression && (
        <span className="tr:rounded tr:bg-red-100 tr:px-1.5 tr:py-0.5 tr:text-xs tr:font-semibold tr:text-red-800 tr:dark:bg-red-950 tr:dark:text-red-200" data-testid="regression-badge">
          regression
        </span>
      )}
    </span>
  );
}

/** "seen in 3 runs" */
export const runsSeen = (n: number) => `seen in ${n} run${n === 1 ? "" : "s"}`;

/** A time to the second (runs minutes apart read apart): "2026-11-30 22:10:04 UTC". */
export const formatSeen = (value: Date | string) => new Date(value).toISOString().replace("T", " ").slice(0, 19) + " UTC";
