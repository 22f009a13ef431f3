import Link from "next/link";
import type { listRuns } from "../../troubleshooting/queries/runs";
import { SEVERITIES } from "../../troubleshooting/report";
import { SeverityBadge, StatusText, formatMs, formatTime } from "./run/labels";

type RunRow = Awaited<ReturnType<typeof listRuns>>["runs"][number];

/** Runs, newest first; says so plainly when there are none or they cannot be read. */
export function RecentRuns({ runs, title = "Recent runs", empty }: { runs: RunRow[] | null; title?: string; empty?: string }) {
  if (runs === null) {
    return <section className="card muted p-6 text-sm">Runs cannot be listed while the database is unreachable.</section>;
  }
  if (runs.length === 0) {
    return <section className="card muted p-6 text-sm">{empty ?? "No troubleshooting runs yet. Start one with the form above, or with npm run troubleshoot."}</section>;
  }
  return (
    <section aria-label={title} className="card overflow-x-auto">
      <h2 className="card-title">{title}</h2>
      <table className="w-full text-sm">
        <thead className="table-head">
          <tr>
            {["Started", "Status", "Trigger", "By", "Health", "Issues", "Duration"].map((h) => (
              <th key={h} className="px-5 py-2 font-medium">
                {h}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {runs.map((run) => (
            <tr key={run.id} className="border-t border-slate-100 dark:border-slate-800" data-testid="run-row">
              <td className="px-5 py-2 whitespace-nowrap">
                <Link className="underline-offset-2 hover:underline" href={`/admin/troubleshooting/runs/${run.id}`}>
                  {formatTime(run.startedAt)}
                </Link>
              </td>
              <td className="px-5 py-2">
                <StatusText status={run.status} />
              </td>
              <td className="px-5 py-2">{run.trigger}</td>
              <td className="px-5 py-2 max-w-40 truncate">{run.requestedBy ?? "–"}</td>
              <td className="px-5 py-2 tabular-nums">
                {run.healthScoreBefore ?? "–"} → {run.healthScoreAfter ?? "–"}
              </td>
              <td className="px-5 py-2">
                <span className="flex flex-wrap gap-1">
                  {run.issueCount === 0
                    ? "none"
                    : SEVERITIES.filter((s) => run.issuesBySeverity[s]).map((s) => (
                        <span key={s} className="flex items-center gap-0.5">
                          <SeverityBadge severity={s} />
                          <span className="tabular-nums">{run.issuesBySeverity[s]}</span>
                        </span>
                      ))}
                </span>
              </td>
              <td className="px-5 py-2 tabular-nums">{formatMs(run.durationMs)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
