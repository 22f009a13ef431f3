import { PageLink } from "../../paths";
import type { TargetRef } from "../../../targets/scope";
import type { FleetRow } from "../../../troubleshooting/queries/fleet";
import { scoreBand } from "../../../troubleshooting/workflow/health-score";
import { ScrollRegion } from "../scroll-region";
import { BAND_STYLE, StatusText, formatTime } from "../run/labels";

const CELL = "tr:px-3 tr:py-2 tr:first:pl-5 tr:last:pr-5";

/** Every target at a glance: its last score (with the run it came from), its latest run's status,
 * the fixes waiting for a decision and the issues its last scored run left open. A target with
 * no scored run says so instead of showing a number. */
export function FleetCard({ targets, rows }: { targets: TargetRef[]; rows: FleetRow[] }) {
  const byKey = new Map(rows.map((r) => [r.targetKey, r]));
  return (
    <section className="tr-card" aria-label="Targets" data-testid="fleet">
      <h2 className="tr-card-title">Targets ({targets.length})</h2>
      <ScrollRegion label="Targets, table">
        <table className="tr:w-full tr:text-sm">
          <thead className="tr-table-head">
            <tr>
              {["Target", "Last score", "Latest run", "Waiting decisions", "Open issues (last scored run)"].map((h) => (
                <th key={h} scope="col" className={`${CELL} tr:font-medium`}>
                  {h}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {targets.map((t) => {
              const row = byKey.get(t.targetKey);
              return (
                <tr key={t.name} className="tr:border-t tr:border-slate-100 tr:dark:border-slate-800" data-testid="fleet-row" data-target={t.name}>
                  <td className={CELL}>
                    <PageLink className="tr:font-medium tr:underline tr:underline-offset-2" to={`?target=${encodeURIComponent(t.name)}`}>
                      {t.name}
                    </PageLink>
                    <span className="tr-muted tr:block tr:text-xs tr:break-all">{t.baseUrl}</span>
                  </td>
                  <td className={`${CELL} tr:whitespace-nowrap`}>
                    {row?.scored ? (
                      <>
                        <span className={`tr:font-semibold tr:tabular-nums ${BAND_STYLE[scoreBand(row.scored.score)]}`} data-testid="fleet-score">
                          {row.scored.score}
                        </span>
                        <span className="tr-muted tr:block tr:text-xs">{formatTime(row.scored.startedAt)}</span>
                      </>
                    ) : (
                      <span className="tr-muted">no completed run</span>
                    )}
                  </td>
                  <td className={CELL}>
                    {row?.latest ? (
                      <PageLink className="tr:underline tr:underline-offset-2" to={`/runs/${row.latest.id}`}>
                        <StatusText status={row.latest.status} />
                      </PageLink>
                    ) : (
                      <span className="tr-muted">never run</span>
                    )}
                  </td>
                  <td className={`${CELL} tr:tabular-nums`}>{row?.waitingDecisions ?? 0}</td>
                  <td className={`${CELL} tr:tabular-nums`}>{row?.scored ? row.scored.openIssues : <span className="tr-muted">–</span>}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </ScrollRegion>
    </section>
  );
}
