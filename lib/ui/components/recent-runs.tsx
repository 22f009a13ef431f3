import { PageLink } from "../paths";
import type { listRuns } from "../../troubleshooting/queries/runs";
import { SEVERITIES } from "../../troubleshooting/report";
import { SeverityBadge, StatusText, formatMs, formatTime } from "./run/labels";

type RunRow = Awaited<ReturnType<typeof listRuns>>["runs"][number];

/** Runs, newest first; says so plainly when there are none or they cannot be read. */
export function RecentRuns({ runs, title = "Recent runs", empty }: { runs: RunRow[] | null; title?: string; empty?: string }) {
  if (runs === null) {
    return <section className="tr-card tr-muted tr:p-6 tr:text-sm">Runs cannot be listed while the database is unreachable.</section>;
  }
  if (runs.length === 0) {
    return <section className="tr-card tr-muted tr:p-6 tr:text-sm">{empty ?? "No troubleshooting runs yet. Start one with the form above, or with npm run troubleshoot."}</section>;
  }
  return (
    <section aria-label={title} className="tr-card tr:overflow-x-auto">
      <h2 className="tr-card-title">{title}</h2>
      <table className="tr:w-full tr:text-sm">
        <thead className="tr-table-head">
          <tr>
            {["Started", "Status", "Trigger", "By", "Health", "Issues", "Duration"].map((h) => (
              <th key={h} className="tr:px-5 tr:py-2 tr:font-medium">
                {h}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {runs.map((run) => (
            <tr key={run.id} className="tr:border-t tr:border-slate-100 tr:dark:border-slate-800" data-testid="run-row">
              <td className="tr:px-5 tr:py-2 tr:whitespace-nowrap">
                <PageLink className="tr:underline-offset-2 tr:hover:underline" to={`/runs/${run.id}`}>
                  {formatTime(run.startedAt)}
                </PageLink>
              </td>
              <td className="tr:px-5 tr:py-2">
                <StatusText status={run.status} />
              </td>
              <td className="tr:px-5 tr:py-2">{run.trigger}</td>
              <td className="tr:px-5 tr:py-2 tr:max-w-40 tr:truncate">{run.requestedBy ?? "–"}</td>
              <td className="tr:px-5 tr:py-2 tr:tabular-nums">
                {run.healthScoreBefore ?? "–"} → {run.healthScoreAfter ?? "–"}
              </td>
              <td className="tr:px-5 tr:py-2">
                <span className="tr:flex tr:flex-wrap tr:gap-1">
                  {run.issueCount === 0
                    ? "none"
                    : SEVERITIES.filter((s) => run.issuesBySeverity[s]).map((s) => (
                        <span key={s} className="tr:flex tr:items-center tr:gap-0.5">
                          <SeverityBadge severity={s} />
                          <span className="tr:tabular-nums">{run.issuesBySeverity[s]}</span>
                        </span>
                      ))}
                </span>
              </td>
              <td className="tr:px-5 tr:py-2 tr:tabular-nums">{formatMs(run.durationMs)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
