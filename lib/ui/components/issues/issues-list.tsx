import { PageLink } from "../../paths";
import type { IssueListItem } from "../../../issues/queries";
import type { Severity } from "../../../troubleshooting/report";
import { ScrollRegion } from "../scroll-region";
import { SeverityBadge } from "../run/labels";
import { IssueStateText, formatSeen, runsSeen } from "./issue-state";

const COLUMNS = ["Severity", "Issue", "Target", "First seen", "Last seen", "Runs seen", "State"];
const cell = "tr:px-3 tr:py-2 tr:first:pl-5 tr:last:pr-5 tr:align-top";

/** One tab of issues across runs, most recently seen first. `targetNames`: by targetKey (a target
 * removed since shows its key). */
export function IssuesList({ items, targetNames, title }: { items: IssueListItem[]; targetNames: ReadonlyMap<string, string>; title: string }) {
  return (
    <section aria-label={title} className="tr-card">
      <h2 className="tr-card-title">{title}</h2>
      <ScrollRegion label={`${title}, table`}>
        <table className="tr:w-full tr:text-sm">
          <thead className="tr-table-head">
            <tr>
              {COLUMNS.map((h) => (
                <th key={h} scope="col" className={`${cell} tr:font-medium`}>
                  {h}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {items.map((issue) => (
              <tr key={issue.id} className="tr:border-t tr:border-slate-100 tr:dark:border-slate-800" data-testid="issue-group-row" data-issue-id={issue.id} data-code={issue.code}>
                <td className={cell}>
                  <SeverityBadge severity={issue.severity as Severity} />
                </td>
                <td className={`${cell} tr:min-w-56`}>
                  <PageLink className="tr:font-medium tr:underline tr:underline-offset-2" to={`/issues/${issue.id}`}>
                    {issue.title}
                  </PageLink>
                  <span className="tr-muted tr:block tr:text-xs tr:break-all">
                    <code>{issue.code}</code>
                    {issue.subject ? ` · ${issue.subject}` : ""}
                  </span>
                </td>
                <td className={`${cell} tr:whitespace-nowrap`}>{targetNames.get(issue.targetKey) ?? issue.targetKey}</td>
                <td className={`${cell} tr:whitespace-nowrap`}>{formatSeen(issue.firstSeenAt)}</td>
                <td className={`${cell} tr:whitespace-nowrap`}>{formatSeen(issue.lastSeenAt)}</td>
                <td className={`${cell} tr:whitespace-nowrap tr:tabular-nums`} data-testid="runs-seen">
                  {runsSeen(issue.runCount)}
                </td>
                <td className={cell}>
                  <IssueStateText state={issue.state} regression={issue.regression} snoozedUntil={issue.snoozedUntil} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </ScrollRegion>
    </section>
  );
}
