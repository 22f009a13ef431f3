"use client";

import type { ReactNode } from "react";
import { ResponsiveContainer } from "recharts";

export const chartAxis = { fontSize: 11, stroke: "currentColor", opacity: 0.6 };

/** One entry of a chart's legend: a colour swatch and its label, in the order given. */
export interface LegendEntry {
  label: string;
  color: string;
  /** Drawn as a dashed line rather than a swatch (a line series). */
  dashed?: boolean;
}

/** A legend in HTML, in the order given (Recharts' own sorts its entries by name). */
export function ChartLegend({ entries, testId }: { entries: LegendEntry[]; testId?: string }) {
  return (
    <ul className="tr:mb-2 tr:flex tr:flex-wrap tr:gap-x-4 tr:gap-y-1 tr:text-xs" aria-label="Legend" data-testid={testId}>
      {entries.map((e) => (
        <li key={e.label} className="tr:flex tr:items-center tr:gap-1.5" data-testid="legend-entry">
          <span
            aria-hidden
            className={e.dashed ? "tr:inline-block tr:h-0 tr:w-4 tr:border-t-2 tr:border-dashed" : "tr:inline-block tr:h-3 tr:w-3 tr:rounded-sm"}
            style={e.dashed ? { borderColor: e.color } : { backgroundColor: e.color }}
          />
          {e.label}
        </li>
      ))}
    </ul>
  );
}

/** A chart with its data as a table underneath (for screen readers and for checking the figures):
 * `head` names the table's columns, `rows` are its cells (the first one names the row). */
export function ChartCard({ title, testId, empty, head, rows, legend, children }: { title: string; testId: string; empty: boolean; head: string[]; rows: (string | number | null)[][]; legend?: ReactNode; children: ReactNode }) {
  return (
    <section className="tr-card tr:min-w-0 tr:p-4" aria-label={title} data-testid={testId}>
      <h2 className="tr:mb-2 tr:text-sm tr:font-semibold">{title}</h2>
      {empty ? (
        <p className="tr-muted tr:py-10 tr:text-center tr:text-sm">No data in this range yet.</p>
      ) : (
        <>
          {legend}
          <div className="tr:h-56">
            <ResponsiveContainer width="100%" height="100%">
              {children as React.ReactElement}
            </ResponsiveContainer>
          </div>
        </>
      )}
      <details className="tr:mt-2 tr:text-xs">
        <summary className="tr-muted tr:cursor-pointer">Data</summary>
        <div className="tr:overflow-x-auto" tabIndex={0} role="region" aria-label={`${title}: data`}>
          <table className="tr:mt-1 tr:w-full tr:text-left" data-testid={`${testId}-data`}>
            <thead>
              <tr>
                {head.map((h) => (
                  <th key={h} scope="col" className="tr:pr-3 tr:font-medium">
                    {h}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {rows.map((row, i) => (
                <tr key={i}>
                  {row.map((cell, j) =>
                    j === 0 ? (
                      <th key={j} scope="row" className="tr:pr-3 tr:text-left tr:font-normal tr:tabular-nums">
                        {cell ?? "–"}
                      </th>
                    ) : (
                      <td key={j} className="tr:pr-3 tr:tabular-nums">
                        {cell ?? "–"}
                      </td>
                    ),
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
    </section>
  );
}
