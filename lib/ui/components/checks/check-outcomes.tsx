import type { CheckHistory, CheckOutcomes } from "../../../troubleshooting/queries/check-history";
import { PeriodTable } from "./period-table";

const OUTCOMES = [
  { key: "passed", label: "Passed", className: "tr:bg-emerald-600" },
  { key: "failed", label: "Found issues", className: "tr:bg-red-600" },
  { key: "skipped", label: "Skipped", className: "tr:bg-slate-400" },
  { key: "error", label: "Error", className: "tr:bg-amber-500" },
] as const;

/** One day's outcomes as a small stacked bar (decorative: the table says the same in numbers). */
function DayBar({ day }: { day: CheckOutcomes["days"][number] }) {
  const total = OUTCOMES.reduce((n, o) => n + day[o.key], 0);
  return (
    <span className="tr:flex tr:h-4 tr:w-2 tr:flex-col-reverse tr:overflow-hidden tr:rounded-sm tr:bg-slate-100 tr:dark:bg-slate-800" title={day.day}>
      {OUTCOMES.map((o) => (day[o.key] > 0 ? <span key={o.key} className={o.className} style={{ height: `${(day[o.key] / total) * 100}%` }} /> : null))}
    </span>
  );
}

/** Each check of the target's runs: how often it passed, found issues, was skipped or failed to
 * run, over the range (a bar per day) and per day in numbers. */
export function CheckOutcomesTable({ checks, bucket }: { checks: CheckOutcomes[]; bucket: CheckHistory["bucket"] }) {
  return (
    <section className="tr-card tr:p-4" aria-labelledby="checks-title" data-testid="check-outcomes">
      <h2 id="checks-title" className="tr:mb-1 tr:text-sm tr:font-semibold">
        Checks
      </h2>
      <p className="tr-muted tr:mb-2 tr:text-xs">One outcome per check per run that ended. The bars show each {bucket} (oldest first), passed at the bottom.</p>
      <ul className="tr:mb-2 tr:flex tr:flex-wrap tr:gap-x-4 tr:gap-y-1 tr:text-xs" aria-label="Legend">
        {OUTCOMES.map((o) => (
          <li key={o.key} className="tr:flex tr:items-center tr:gap-1.5">
            <span aria-hidden className={`tr:inline-block tr:h-3 tr:w-3 tr:rounded-sm ${o.className}`} />
            {o.label}
          </li>
        ))}
      </ul>
      {checks.length === 0 ? (
        <p className="tr-muted tr:text-sm">No run of this target ended in this range.</p>
      ) : (
        <div className="tr:overflow-x-auto" tabIndex={0} role="region" aria-label="Checks: table">
          <table className="tr:w-full tr:text-left tr:text-sm">
            <thead className="tr-table-head">
              <tr>
                {["Check", ...OUTCOMES.map((o) => o.label), `Per ${bucket}`].map((h) => (
                  <th key={h} scope="col" className="tr:py-1 tr:pr-3 tr:font-medium">
                    {h}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {checks.map((c) => (
                <tr key={c.code} className="tr:border-t tr:border-slate-100 tr:align-top tr:dark:border-slate-800" data-testid="check-row" data-code={c.code}>
                  <th scope="row" className="tr:py-1 tr:pr-3 tr:text-left tr:font-normal">
                    <code>{c.code}</code>
                  </th>
                  {OUTCOMES.map((o) => (
                    <td key={o.key} className="tr:py-1 tr:pr-3 tr:tabular-nums">
                      {c.totals[o.key]}
                    </td>
                  ))}
                  <td className="tr:py-1">
                    <span className="tr:flex tr:gap-0.5" aria-hidden>
                      {c.days.map((d) => (
                        <DayBar key={d.day} day={d} />
                      ))}
                    </span>
                    <PeriodTable
                      label={c.code}
                      summary={bucket === "week" ? "Weeks" : "Days"}
                      bucket={bucket}
                      columns={OUTCOMES.map((o) => o.label)}
                      rows={c.days.map((d) => ({ day: d.day, cells: OUTCOMES.map((o) => d[o.key]) }))}
                    />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
