import { usePaths } from "../../paths";
import { type RunReport, isActiveRun } from "../../../troubleshooting/report";
import { isIgnored, scoreNote, summaryParts } from "../../../troubleshooting/report-view";
import { AdviceList } from "./advice-list";
import { IgnoredList } from "../issues/ignored-list";

/** Verification outcome and the final report: summary (cited issues linked by name), scores (and
 * why one did not move), advice, downloads. The run's outcome in words is in the page's header. */
export function RunSummary({ report }: { report: RunReport }) {
  const { apiBasePath } = usePaths();
  const verified = report.phases.some((p) => p.name === "verification" && p.status === "completed");
  const count = (status: string) => report.issues.filter((i) => i.status === status && !isIgnored(i)).length;
  const active = isActiveRun(report.status);
  const note = scoreNote(report);
  return (
    <section className="tr-card tr:space-y-3 tr:p-5" aria-label="Report">
      <h2 className="tr:font-semibold">Report</h2>
      {verified && (
        <p className="tr:text-sm" data-testid="verification">
          Verification: {count("resolved")} resolved, {count("unresolved")} unresolved, {count("open")} open (advice or no fix).
        </p>
      )}
      {active ? (
        <p className="tr-muted tr:text-sm">The report is written when the run ends.</p>
      ) : (
        <>
          {report.statusReason && <p className="tr:text-sm tr:text-red-700 tr:dark:text-red-300">{report.statusReason}</p>}
          <p className="tr:text-sm tr:whitespace-pre-wrap" data-testid="summary">
            {summaryParts(report.summary, report.issues).map((part, i) =>
              typeof part === "string" ? (
                part
              ) : (
                <a key={i} className="tr:font-medium tr:underline" href={`#issue-${part.issue.id}`}>
                  {part.issue.title}
                </a>
              ),
            )}
          </p>
          <p className="tr:text-sm" data-testid="score-change">
            Health score <strong className="tr:tabular-nums">{report.healthScore.before ?? "–"}</strong> → <strong className="tr:tabular-nums">{report.healthScore.after ?? "–"}</strong>
            {note && <span className="tr-muted"> · {note}</span>}
          </p>
          <IgnoredList report={report} />
        </>
      )}
      {report.advice ? (
        <AdviceList advice={report.advice} issues={report.issues} />
      ) : (
        // A report stored before advice was grouped: its plain list, as written.
        report.recommendations.length > 0 && (
          <ol className="tr:list-decimal tr:space-y-1 tr:pl-5 tr:text-sm">
            {report.recommendations.map((r, i) => (
              <li key={i} className="tr:whitespace-pre-wrap">
                {r}
              </li>
            ))}
          </ol>
        )
      )}
      {active ? (
        <p className="tr-muted tr:text-sm" data-testid="downloads-pending">
          Downloads (JSON, Markdown) are offered once the run has ended and its report is written.
        </p>
      ) : (
        <p className="tr:flex tr:flex-wrap tr:gap-2">
          <a className="tr-btn" href={`${apiBasePath}/runs/${report.runId}/export?format=json`} download>
            Download JSON
          </a>
          <a className="tr-btn" href={`${apiBasePath}/runs/${report.runId}/export?format=md`} download>
            Download Markdown
          </a>
        </p>
      )}
    </section>
  );
}
