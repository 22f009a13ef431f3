import type { ReportIssue } from "../../../troubleshooting/report";
import { SeverityBadge, StatusText } from "./labels";

/** The run's issues in rank order, each with its evidence and recommendation on expand. */
export function IssuesTable({ issues }: { issues: ReportIssue[] }) {
  return (
    <section className="card" aria-label="Issues">
      <h2 className="card-title">Issues ({issues.length})</h2>
      {issues.length === 0 ? (
        <p className="muted px-5 py-4 text-sm">No issues found so far.</p>
      ) : (
        <ul className="divide-y divide-slate-100 dark:divide-slate-800">
          {issues.map((issue) => (
            <li key={issue.id} data-testid="issue-row" data-code={issue.code} data-status={issue.status}>
              <details className="group px-5 py-2">
                <summary className="flex cursor-pointer flex-wrap items-center gap-2 text-sm">
                  <SeverityBadge severity={issue.severity} />
                  <span className="muted w-16">{issue.domain}</span>
                  <span className="flex-1 font-medium">{issue.title}</span>
                  <StatusText status={issue.status} />
                </summary>
                <div className="mt-2 space-y-2 pl-1 text-sm">
                  <p>{issue.description}</p>
                  {issue.recommendation && <p className="muted">What to do: {issue.recommendation}</p>}
                  <pre className="max-h-64 overflow-auto rounded bg-slate-50 p-2 text-xs dark:bg-slate-950">{JSON.stringify(issue.evidence, null, 2)}</pre>
                  <p className="muted text-xs">
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
