import type { ReactNode } from "react";
import { PageLink } from "../paths";
import type { listRuns } from "../../troubleshooting/queries/runs";
import { SEVERITIES } from "../../troubleshooting/report";
import { databaseLabel } from "../target";
import { PendingDecisionsLink } from "./pending-decisions-link";
import { ScrollRegion } from "./scroll-region";
import { SeverityBadge, StatusText, formatMs, formatTime } from "./run/labels";

type RunRow = Awaited<ReturnType<typeof listRuns>>["runs"][number];

const COLUMNS = ["Started", "Status", "Target", "Domains", "Trigger", "By", "Health", "Issues", "Duration"];

/** Runs, newest first, each with what it checked (target, domains) and the fixes waiting for a
 * decision; says so plainly when there are none (`empty`) or they cannot be read. */
export function RecentRuns({ runs, title = "Recent runs", empty }: { runs: RunRow[] | null; title?: string; empty?: ReactNode }) {
  if (runs === null) {
    return <section className="tr-card tr-muted tr:p-6 tr:text-sm">Runs cannot be listed while the database is unreachable.</section>;
  }
  if (runs.length === 0) {
    return (
      <section className="tr-card tr-muted tr:p-6 tr:text-sm" data-testid="runs-empty">
        {empty ?? "No troubleshooting runs yet. Start one with the form above, or with npm run troubleshoot."}
      </section>
    );
  }
  return (
    <section aria-label={title} className="tr-card">
      <h2 className="tr-card-title">{title}</h2>
      <ScrollRegion label={`${title}, table`}>
        <table className="tr:w-full tr:text-sm">
          <thead className="tr-table-head">
            <tr>
              {COLUMNS.map((h) => (
                <th key={h} scope="col" className="tr:px-3 tr:py-2 tr:first:pl-5 tr:last:pr-5 tr:font-medium">
                  {h}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {runs.map((run) => (
              <tr key={run.id} className="tr:border-t tr:border-slate-100 tr:dark:border-slate-800" data-testid="run-row" data-run-id={run.id}>
                <td className="tr:px-3 tr:py-2 tr:first:pl-5 tr:last:pr-5 tr:whitespace-nowrap">
                  <PageLink className="tr:underline tr:underline-offset-2" to={`/runs/${run.id}`}>
                    {formatTime(run.startedAt)}
                  </PageLink>
                </td>
                <td className="tr:px-3 tr:py-2 tr:first:pl-5 tr:last:pr-5">
                  <StatusText status={run.status} />
                  {run.pendingDecisions > 0 && (
                    <span className="tr:mt-1 tr:block">
                      <PendingDecisionsLink runId={run.id} count={run.pendingDecisions} />
                    </span>
                  )}
                </td>
                <td className="tr:px-3 tr:py-2 tr:first:pl-5 tr:last:pr-5" data-testid="run-target">
                  {run.targetName && <span className="tr:block tr:font-medium tr:whitespace-nowrap" data-testid="run-target-name">{run.targetName}</span>}
                  {run.target ? (
                    <>
                      <span className={`tr:block tr:whitespace-nowrap ${run.targetName ? "tr-muted tr:text-xs" : ""}`}>{hostOf(run.target.baseUrl)}</span>
                      <span className="tr-muted tr:block tr:text-xs tr:whitespace-nowrap">{databaseLabel(run.target.database)}</span>
                    </>
                  ) : (
                    "–"
                  )}
                </td>
                <td className="tr:px-3 tr:py-2 tr:first:pl-5 tr:last:pr-5" data-testid="run-domains">
                  {run.domains.join(", ")}
                </td>
                <td className="tr:px-3 tr:py-2 tr:first:pl-5 tr:last:pr-5">{run.trigger}</td>
                <td className="tr:px-3 tr:py-2 tr:first:pl-5 tr:last:pr-5 tr:max-w-40 tr:truncate">{run.requestedBy ?? "–"}</td>
                <td className="tr:px-3 tr:py-2 tr:first:pl-5 tr:last:pr-5 tr:whitespace-nowrap tr:tabular-nums">
                  {run.healthScoreBefore ?? "–"} → {run.healthScoreAfter ?? "–"}
                </td>
                <td className="tr:px-3 tr:py-2 tr:first:pl-5 tr:last:pr-5">
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
                <td className="tr:px-3 tr:py-2 tr:first:pl-5 tr:last:pr-5 tr:whitespace-nowrap tr:tabular-nums">{formatMs(run.durationMs)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </ScrollRegion>
    </section>
  );
}

/** The site's host (and port), the part that tells targets apart at a glance. */
function hostOf(baseUrl: string): string {
  try {
    return new URL(baseUrl).host;
  } catch {
    return baseUrl;
  }
}
