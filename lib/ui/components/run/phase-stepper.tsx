import { PHASES, type PhaseRecord, type RunStatus } from "../../../troubleshooting/report";
import { phaseLabel } from "../history/chart-palette";
import { formatMs } from "./labels";


const DOT: Record<string, string> = {
  completed: "tr:bg-green-600",
  running: "tr:bg-indigo-600 tr:animate-pulse",
  skipped: "tr:bg-slate-300 tr:dark:bg-slate-600",
  failed: "tr:bg-red-600",
  cancelled: "tr:bg-slate-500",
  interrupted: "tr:bg-amber-500",
  waiting: "tr:bg-amber-500",
  pending: "tr:border-2 tr:border-slate-300 tr:dark:border-slate-600",
};

/** The seven phases with their state and duration. */
export function PhaseStepper({ phases, status }: { phases: PhaseRecord[]; status: RunStatus }) {
  return (
    <ol className="tr-card tr:grid tr:grid-cols-2 tr:gap-3 tr:p-4 tr:@xl:grid-cols-4 tr:@4xl:grid-cols-7" aria-label="Phases">
      {PHASES.map((name) => {
        const record = phases.find((p) => p.name === name);
        let state: string = record?.status ?? "pending";
        if (state === "running" && status === "awaiting_approval") state = "waiting";
        return (
          <li key={name} className="tr:flex tr:items-start tr:gap-2" data-testid={`phase-${name}`} data-state={state}>
            <span className={`tr:mt-1 tr:inline-block tr:h-3 tr:w-3 tr:shrink-0 tr:rounded-full ${DOT[state]}`} aria-hidden />
            <span className="tr:text-sm">
              <span className="tr:block tr:font-medium">{phaseLabel(name)}</span>
              <span className="tr-muted tr:text-xs">
                {state === "waiting" ? "waiting for approval" : state}
                {record && state !== "pending" && state !== "skipped" ? ` · ${formatMs(record.durationMs)}` : ""}
              </span>
            </span>
          </li>
        );
      })}
    </ol>
  );
}
