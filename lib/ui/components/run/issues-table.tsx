import type { ReportIssue } from "../../../troubleshooting/report";
import { SeverityBadge, StatusText } from "./labels";

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
                  <StatusText status={issue.status} />
                </summary>
                <div className="tr:mt-2 tr:space-y-2 tr:pl-1 tr:text-sm">
                  <p>{issue.description}</p>
                  {issue.recommendation && <p className="tr-muted">What to do: {issue.recommendation}</p>}
                  <pre className="tr:max-h-64 tr:overflow-auto tr:rounded tr:bg-slate-50 tr:p-2 tr:text-xs tr:dark:bg-slate-950">{JSON.stringify(issue.evidence, null, 2)}</pre>
                  <p className="tr-muted tr:text-xs">
                    <code>{issue.code}</code> · found by {issue.detectedBy}
                  </p>
                </div>
              </details>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
