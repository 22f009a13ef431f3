import { usePaths } from "../../paths";
import { type RunReport, isActiveRun } from "../../../troubleshooting/report";

/** Verification outcome and the final report: summary, scores, recommendations, downloads. */
export function RunSummary({ report }: { report: RunReport }) {
  const { apiBasePath } = usePaths();
  const verified = report.phases.some((p) => p.name === "verification" && p.status === "completed");
  const count = (status: string) => report.issues.filter((i) => i.status === status).length;
  const active = isActiveRun(report.status);
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
          {report.statusReason && <p className="tr:text-sm tr:text-red-700 tr:dark:text-red-400">{report.statusReason}</p>}
          <p className="tr:text-sm tr:whitespace-pre-wrap" data-testid="summary">
            {report.summary}
          </p>
          <p className="tr:text-sm">
            Health score <strong className="tr:tabular-nums">{report.healthScore.before ?? "–"}</strong> → <strong className="tr:tabular-nums">{report.healthScore.after ?? "–"}</strong>
          </p>
          {report.recommendations.length > 0 && (
            <ol className="tr:list-decimal tr:space-y-1 tr:pl-5 tr:text-sm">
              {report.recommendations.map((r, i) => (
                <li key={i} className="tr:whitespace-pre-wrap">
                  {r}
                </li>
              ))}
            </ol>
          )}
        </>
      )}
      <p className="tr:flex tr:gap-2">
        <a className="tr-btn" href={`${apiBasePath}/runs/${report.runId}/export?format=json`} download>
          Download JSON
        </a>
        <a className="tr-btn" href={`${apiBasePath}/runs/${report.runId}/export?format=md`} download>
          Download Markdown
        </a>
      </p>
    </section>
  );
}
