import type { AdviceGroup, ReportIssue } from "../../../troubleshooting/report";
import { commandsIn } from "../../../troubleshooting/report-view";
import { CopyButton } from "./copy-button";
import { IssueLinks } from "./issue-links";
import { SeverityBadge } from "./labels";

/** The report's advice, most severe first, each piece once with the issues it applies to (linked
 * to their rows) and its commands and statements offered for copying. */
export function AdviceList({ advice, issues }: { advice: AdviceGroup[]; issues: ReportIssue[] }) {
  if (advice.length === 0) return null;
  const byId = new Map(issues.map((i) => [i.id, i]));
  return (
    <div className="tr:space-y-2">
      <h3 className="tr:text-sm tr:font-semibold">What to do ({advice.length})</h3>
      <ol className="tr:space-y-3 tr:text-sm">
        {advice.map((group, index) => {
          const related = group.issueIds.flatMap((id) => byId.get(id) ?? []);
          return (
            <li key={index} className="tr:space-y-1 tr:rounded tr:border tr:border-slate-200 tr:p-3 tr:dark:border-slate-700" data-testid="advice" data-severity={group.severity}>
              <p className="tr:flex tr:flex-wrap tr:items-center tr:gap-2">
                <span className="tr-muted tr:tabular-nums">{index + 1}.</span>
                <SeverityBadge severity={group.severity} />
                {group.title && <span className="tr:font-medium">{group.title}</span>}
              </p>
              <p className="tr:break-words tr:whitespace-pre-wrap">{group.text}</p>
              {related.length > 0 && (
                <p className="tr-muted" data-testid="advice-issues">
                  {related.length > 1 ? `Applies to ${related.length} issues: ` : "For: "}
                  <IssueLinks issues={related} />
                </p>
              )}
              {commandsIn(group.text).map((command, i) => (
                <div key={i} className="tr:flex tr:flex-wrap tr:items-start tr:gap-2" data-testid="command">
                  <pre className="tr:max-w-full tr:flex-1 tr:overflow-x-auto tr:rounded tr:bg-slate-50 tr:p-2 tr:text-xs tr:dark:bg-slate-950" tabIndex={0} aria-label={`Command ${i + 1} of advice ${index + 1}`}>
                    <code>{command}</code>
                  </pre>
                  <CopyButton text={command} label={`Copy command ${i + 1} of advice ${index + 1}`} />
                </div>
              ))}
            </li>
          );
        })}
      </ol>
    </div>
  );
}
