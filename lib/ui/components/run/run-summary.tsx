import { type RunReport, isActiveRun } from "../../../troubleshooting/report";

/** Verification outcome and the final report: summary, scores, recommendations, downloads. */
export function RunSummary({ report }: { report: RunReport }) {
  const verified = report.phases.some((p) => p.name === "verification" && p.status === "completed");
  const count = (status: string) => report.issues.filter((i) => i.status === status).length;
  const active = isActiveRun(report.status);
  return (
    <section className="card space-y-3 p-5" aria-label="Report">
      <h2 className="font-semibold">Report</h2>
      {verified && (
        <p className="text-sm" data-testid="verification">
          Verification: {count("resolved")} resolved, {count("unresolved")} unresolved, {count("open")} open (advice or no fix).
        </p>
      )}
      {active ? (
        <p className="muted text-sm">The report is written when the run ends.</p>
      ) : (
        <>
          {report.statusReason && <p className="text-sm text-red-700 dark:text-red-400">{report.statusReason}</p>}
          <p className="text-sm whitespace-pre-wrap" data-testid="summary">
            {report.summary}
          </p>
          <p className="text-sm">
            Health score <strong className="tabular-nums">{report.healthScore.before ?? "–"}</strong> → <strong className="tabular-nums">{report.healthScore.after ?? "–"}</strong>
          </p>
          {report.recommendations.length > 0 && (
            <ol className="list-decimal space-y-1 pl-5 text-sm">
              {report.recommendations.map((r, i) => (
                <li key={i} className="whitespace-pre-wrap">
                  {r}
                </li>
              ))}
            </ol>
          )}
        </>
      )}
      <p className="flex gap-2">
        <a className="btn" href={`/api/admin/bots/runs/${report.runId}/export?format=json`} download>
          Download JSON
        </a>
        <a className="btn" href={`/api/admin/bots/runs/${report.runId}/export?format=md`} download>
          Download Markdown
        </a>
      </p>
    </section>
  );
}
