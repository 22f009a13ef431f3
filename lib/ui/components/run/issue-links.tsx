import type { ReportIssue } from "../../../troubleshooting/report";

/** Links to the issues on this page (their rows' anchors), named by title, "; "-separated. */
export function IssueLinks({ issues }: { issues: readonly Pick<ReportIssue, "id" | "title">[] }) {
  return issues.map((issue, i) => (
    <span key={issue.id}>
      {i > 0 && "; "}
      <a className="tr:underline" href={`#issue-${issue.id}`}>
        {issue.title}
      </a>
    </span>
  ));
}
