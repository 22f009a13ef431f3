import type { Claim, Investigation, ToolCallRecord } from "../../../troubleshooting/investigation/schema";
import type { ReportAction, ReportIssue } from "../../../troubleshooting/report";
import { IssueLinks } from "./issue-links";
import { openToolCall, toolCallAnchor } from "./investigation-calls";

/** The run's issues named by `ids`, linked to their rows; an id the run does not have stays as is. */
function IssuesNamed({ ids, issues }: { ids: readonly string[]; issues: readonly ReportIssue[] }) {
  const known = ids.flatMap((id) => issues.find((i) => i.id === id) ?? []);
  const unknown = ids.filter((id) => !issues.some((i) => i.id === id));
  return (
    <>
      <IssueLinks issues={known} />
      {unknown.length > 0 && `${known.length > 0 ? "; " : ""}${unknown.join("; ")}`}
    </>
  );
}

/** A suggested catalogue action by the title of the run's planned action with that code, else
 * by its code. */
function actionName(code: string, actions: readonly ReportAction[]): string {
  return actions.find((a) => a.code === code)?.title ?? code;
}

function Claimed({ claim, issues, actions, calls }: { claim: Claim; issues: readonly ReportIssue[]; actions: readonly ReportAction[]; calls: readonly ToolCallRecord[] }) {
  return (
    <li className="tr:space-y-1 tr:px-5 tr:py-3 tr:text-sm" data-testid="investigation-claim">
      <p>
        <span className="tr:font-medium">About: </span>
        <IssuesNamed ids={claim.issueIds} issues={issues} />
        <span className="tr-muted"> · confidence {claim.confidence}</span>
      </p>
      <p className="tr:whitespace-pre-wrap tr:break-words" data-testid="claim-root-cause">
        {claim.rootCause}
      </p>
      {claim.linkedIssueIds.length > 0 && (
        <p className="tr-muted">
          Shares this cause: <IssuesNamed ids={claim.linkedIssueIds} issues={issues} />
        </p>
      )}
      {claim.suggestedActions.length > 0 && <p className="tr-muted">Suggested fixes: {claim.suggestedActions.map((code) => actionName(code, actions)).join("; ")}</p>}
      <p className="tr-muted" data-testid="claim-citations">
        Cites:{" "}
        {claim.citations.map((id, i) => {
          const call = calls.find((c) => c.id === id);
          return (
            <span key={id}>
              {i > 0 && ", "}
              {call ? (
                <a className="tr:underline tr:underline-offset-2" href={`#${toolCallAnchor(id)}`} onClick={() => openToolCall(id)}>
                  {id} ({call.tool})
                </a>
              ) : (
                id
              )}
            </span>
          );
        })}
      </p>
    </li>
  );
}

/** The claims kept (each citing tool results, linked to their entries), then those not kept. */
export function ClaimList({ record, issues, actions }: { record: Investigation; issues: readonly ReportIssue[]; actions: readonly ReportAction[] }) {
  return (
    <>
      <h3 className="tr:px-5 tr:pt-3 tr:text-sm tr:font-semibold">Conclusions ({record.claims.length})</h3>
      {record.claims.length === 0 ? (
        <p className="tr-muted tr:px-5 tr:py-2 tr:text-sm">No claim citing a tool result.</p>
      ) : (
        <ul className="tr:divide-y tr:divide-slate-100 tr:dark:divide-slate-800">
          {record.claims.map((claim, i) => (
            <Claimed key={i} claim={claim} issues={issues} actions={actions} calls={record.toolCalls} />
          ))}
        </ul>
      )}
      {record.dropped.length > 0 && (
        <>
          <h3 className="tr:px-5 tr:pt-3 tr:text-sm tr:font-semibold">Not kept ({record.dropped.length})</h3>
          <ul className="tr:space-y-1 tr:px-5 tr:py-2 tr:text-sm">
            {record.dropped.map((d, i) => (
              <li key={i} data-testid="investigation-dropped" className="tr:break-words">
                <span className="tr:whitespace-pre-wrap">{d.rootCause}</span> <span className="tr-muted">({d.reason})</span>
              </li>
            ))}
          </ul>
        </>
      )}
    </>
  );
}
