import type { ReportIssue } from "../../../troubleshooting/report";
import { ignoredText } from "../../../troubleshooting/report-view";
import { PageLink } from "../../paths";
import { SeverityBadge, StatusText } from "./labels";

/** The finding's issue across runs, in its summary line: its state (or "regression" when it came
 * back after being resolved). Not a link: the summary toggles the details, where the link is. */
function GroupState({ issue }: { issue: ReportIssue }) {
  const group = issue.group;
  if (!group) return null;
  const word = group.regression ? "regression" : group.state;
  const tone = group.regression ? "tr:bg-red-100 tr:text-red-800 tr:dark:bg-red-950 tr:dark:text-red-200" : "tr:bg-slate-100 tr:text-slate-700 tr:dark:bg-slate-800 tr:dark:text-slate-200";
  return (
    <span className={`tr:rounded tr:px-1.5 tr:py-0.5 tr:text-xs tr:font-semibold ${tone}`} data-testid="issue-group-state" data-state={group.state} data-regression={group.regression || undefined}>
      issue: {word}
    </span>
  );
}

/** The run's issues in rank order, each with its evidence and recommendation on expand. */
export function IssuesTable({ issues }: { issues: ReportIssue[] }) {
  return (
    <section className="tr-card" aria-label="Issues">
      <h2 className="tr-card-title">Issues ({issues.length})</h2>
      {issues.length === 0 ? (
        <p className="tr-muted tr:px-5 tr:py-4 tr:text-sm">No issues found so far.</p>
      ) : (
        <ul className="tr:divide-y tr:divide-slate-100 tr:dark:divide-slate-800">
          {issues.map((issue) => (
            <li key={issue.id} id={`issue-${issue.id}`} className="tr:scroll-mt-4" data-testid="issue-row" data-code={issue.code} data-status={issue.status}>
              <details className="tr:group tr:px-5 tr:py-2">
                <summary className="tr:flex tr:cursor-pointer tr:flex-wrap tr:items-center tr:gap-2 tr:text-sm">
                  <SeverityBadge severity={issue.severity} />
                  <span className="tr-muted tr:w-16">{issue.domain}</span>
                  <span className="tr:flex-1 tr:font-medium">{issue.title}</span>
                  <GroupState issue={issue} />
                  {/* Ignored when the run was scored: not one of its open issues. */}
                  <StatusText status={issue.group?.ignored && issue.status === "open" ? "ignored" : issue.status} />
                </summary>
                <div className="tr:mt-2 tr:space-y-2 tr:pl-1 tr:text-sm">
                  <p>{issue.description}</p>
                  {issue.group?.ignored && <p data-testid="issue-ignored">Not counted in the health score: {ignoredText(issue)}.</p>}
                  {issue.recommendation && <p className="tr-muted">What to do: {issue.recommendation}</p>}
                  {/* Scrolls when long: focusable, so keyboard users can scroll it too. */}
                  <pre tabIndex={0} role="region" aria-label={`Evidence: ${issue.title}`} className="tr:max-h-64 tr:overflow-auto tr:focus-visible:outline-2 tr:focus-visible:outline-indigo-500 tr:rounded tr:bg-slate-50 tr:p-2 tr:text-xs tr:dark:bg-slate-950">{JSON.stringify(issue.evidence, null, 2)}</pre>
                  <p className="tr-muted tr:text-xs">
                    <code>{issue.code}</code> · found by {issue.detectedBy}
                  </p>
                  {issue.group?.id && (
                    <p className="tr:text-xs">
                      <PageLink to={`/issues/${issue.group.id}`} className="tr:underline tr:underline-offset-2" data-testid="issue-group-link">
                        This issue across runs
                      </PageLink>
                    </p>
                  )}
                </div>
              </details>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
