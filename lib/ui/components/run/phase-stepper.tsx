import { PHASES, type PhaseRecord, type RunStatus, isActiveRun } from "../../../troubleshooting/report";
import { formatMs } from "./labels";

const LABELS: Record<string, string> = {
  initialization: "Initialization",
  system_assessment: "System assessment",
  diagnostics: "Diagnostics",
  issue_prioritization: "Prioritization",
  resolution: "Resolution",
  verification: "Verification",
  final_report: "Final report",
};

const DOT: Record<string, string> = {
  completed: "bg-green-600",
  running: "bg-indigo-600 animate-pulse",
  skipped: "bg-slate-300 dark:bg-slate-600",
  failed: "bg-red-600",
  waiting: "bg-amber-500",
  pending: "border-2 border-slate-300 dark:border-slate-600",
};

/** The seven phases with their state and duration. */
export function PhaseStepper({ phases, status }: { phases: PhaseRecord[]; status: RunStatus }) {
  return (
    <ol className="card grid grid-cols-2 gap-3 p-4 sm:grid-cols-4 lg:grid-cols-7" aria-label="Phases">
      {PHASES.map((name) => {
        const record = phases.find((p) => p.name === name);
        let state: string = record?.status ?? "pending";
        if (state === "running" && status === "awaiting_approval") state = "waiting";
        if (state === "running" && !isActiveRun(status)) state = "failed";
        return (
          <li key={name} className="flex items-start gap-2" data-testid={`phase-${name}`} data-state={state}>
            <span className={`mt-1 inline-block h-3 w-3 shrink-0 rounded-full ${DOT[state]}`} aria-hidden />
            <span className="text-sm">
              <span className="block font-medium">{LABELS[name]}</span>
              <span className="muted text-xs">
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
