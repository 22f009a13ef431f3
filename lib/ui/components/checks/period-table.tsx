import type { ReactNode } from "react";
import type { CheckHistory } from "../../../troubleshooting/queries/check-history";

/** A check's or a probe's figures per day (per week over 90 days), folded under a summary: the
 * numbers behind its bars. `rows`: one per period, its cells after the period's date. */
export function PeriodTable({ label, summary, bucket, columns, rows }: { label: string; summary: ReactNode; bucket: CheckHistory["bucket"]; columns: string[]; rows: { day: string; cells: ReactNode[] }[] }) {
  return (
    <details className="tr:text-xs">
      <summary className="tr-muted tr:cursor-pointer">{summary}</summary>
      <table className="tr:mt-1 tr:text-left" aria-label={`${label}: per ${bucket}`}>
        <thead>
          <tr>
            {[bucket === "week" ? "Week of (UTC)" : "Day (UTC)", ...columns].map((h) => (
              <th key={h} scope="col" className="tr:pr-3 tr:font-medium">
                {h}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.day}>
              <th scope="row" className="tr:pr-3 tr:text-left tr:font-normal tr:tabular-nums">
                {r.day}
              </th>
              {r.cells.map((cell, i) => (
                <td key={columns[i]} className="tr:pr-3 tr:tabular-nums">
                  {cell}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </details>
  );
}
