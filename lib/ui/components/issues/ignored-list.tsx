import type { RunReport } from "../../../troubleshooting/report";
import { ignoredText, isIgnored } from "../../../troubleshooting/report-view";
import { PageLink } from "../../paths";

/** The run's findings an admin had ignored (their issue across runs) when it was scored: listed
 * apart from its open issues, with who ignored them and why. Nothing when there are none. */
export function IgnoredList({ report }: { report: Pick<RunReport, "issues"> }) {
  const ignored = report.issues.filter(isIgnored);
  if (ignored.length === 0) return null;
  return (
    <div className="tr:space-y-1" data-testid="ignored-issues">
      <h3 className="tr:text-sm tr:font-semibold">Ignored ({ignored.length}, not counted in the health score)</h3>
      <ul className="tr:list-disc tr:space-y-1 tr:pl-5 tr:text-sm">
        {ignored.map((issue) => (
          <li key={issue.id}>
            {issue.group?.id ? (
              <PageLink className="tr:underline tr:underline-offset-2" to={`/issues/${issue.group.id}`}>
                {issue.title}
              </PageLink>
            ) : (
              issue.title
            )}
            <span className="tr-muted">: {ignoredText(issue)}</span>
          </li>
        ))}
      </ul>
    </div>
  );
}
