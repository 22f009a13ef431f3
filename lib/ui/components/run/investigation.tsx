import type { Investigation } from "../../../troubleshooting/investigation/schema";
import { type LiveInvestigation, costText, investigationStatusText, mergeToolCalls } from "../../../troubleshooting/investigation-view";
import type { RunReport } from "../../../troubleshooting/report";
import { ClaimList } from "./investigation-claims";
import { ToolCallList } from "./investigation-calls";
import { IssueLinks } from "./issue-links";

const STATUS_STYLE: Record<Investigation["status"], string> = {
  completed: "tr:text-green-700 tr:dark:text-green-300",
  running: "tr:text-indigo-700 tr:dark:text-indigo-300",
  budget_exhausted: "tr:text-amber-700 tr:dark:text-amber-300",
  failed: "tr:text-red-700 tr:dark:text-red-300",
  not_run: "tr-muted",
};

/**
 * The AI investigation of the run's top issues: while the run goes on, the tool calls as the
 * event stream brings them (`live`); once it has ended (the record in `report.investigation`),
 * its outcome, model and cost, its claims with their citations linked to the calls, the claims
 * not kept, and every call with its result. Absent for a finished run stored before
 * investigations existed. Everything the model or the target wrote is React text.
 */
export function InvestigationSection({ report, live, active }: { report: RunReport; live: LiveInvestigation; active: boolean }) {
  const stored = report.investigation;
  const record = stored && stored.status !== "running" ? stored : (live.completed ?? stored);
  // The record once the investigation has ended; until then, what the events told.
  const final = record && record.status !== "running" ? record : null;
  const going = final === null;
  const status: Investigation["status"] = record?.status ?? "running";
  const calls = mergeToolCalls(record?.toolCalls ?? [], going ? live.calls : []);
  // A run that ended without one (no issue to investigate, or stored before investigations).
  if (going && !active && !live.started && calls.length === 0) return null;
  const model = record?.model ?? live.started?.model;
  const issueIds = record?.issueIds.length ? record.issueIds : (live.started?.issueIds ?? []);
  const asked = issueIds.flatMap((id) => report.issues.find((i) => i.id === id) ?? []);
  return (
    <section className="tr-card" aria-labelledby="investigation-title" data-testid="investigation" data-status={status}>
      <h2 className="tr-card-title" id="investigation-title">
        AI investigation
      </h2>
      <div className="tr:space-y-1 tr:px-5 tr:py-3 tr:text-sm">
        {going && !live.started && calls.length === 0 ? (
          <p className="tr-muted" data-testid="investigation-status">
            Starts once the issues are ranked.
          </p>
        ) : (
          <p data-testid="investigation-status" aria-live="polite">
            <span className={`tr:font-medium ${STATUS_STYLE[status]}`}>{final ? investigationStatusText(final) : `Investigating… ${calls.length} tool call${calls.length === 1 ? "" : "s"} so far`}</span>
            {model && <span className="tr-muted"> · model {model}</span>}
          </p>
        )}
        {final && final.status !== "not_run" && (
          <p className="tr-muted" data-testid="investigation-cost">
            Cost: {costText(final.cost)}
          </p>
        )}
        {asked.length > 0 && status !== "not_run" && (
          <p className="tr-muted">
            Asked about: <IssueLinks issues={asked} />
          </p>
        )}
      </div>
      {final && final.status !== "not_run" && <ClaimList record={final} issues={report.issues} actions={report.actions} />}
      {calls.length > 0 && (
        <>
          <h3 className="tr:px-5 tr:pt-3 tr:text-sm tr:font-semibold">Tool calls ({calls.length})</h3>
          <ToolCallList calls={calls} />
        </>
      )}
    </section>
  );
}
