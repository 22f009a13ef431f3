"use client";

import type { ReactNode } from "react";
import { ResponsiveContainer } from "recharts";

export const chartAxis = { fontSize: 11, stroke: "currentColor", opacity: 0.6 };

/** A chart with its data as a table underneath (for screen readers and for checking the figures). */
export function ChartCard({ title, testId, empty, rows, children }: { title: string; testId: string; empty: boolean; rows: (string | number | null)[][]; children: ReactNode }) {
  return (
    <section className="tr-card tr:p-4" aria-label={title} data-testid={testId}>
      <h2 className="tr:mb-2 tr:text-sm tr:font-semibold">{title}</h2>
      {empty ? (
        <p className="tr-muted tr:py-10 tr:text-center tr:text-sm">No data in this range yet.</p>
      ) : (
        <div className="tr:h-56">
          <ResponsiveContainer width="100%" height="100%">
            {children as React.ReactElement}
          </ResponsiveContainer>
        </div>
      )}
      <details className="tr:mt-2 tr:text-xs">
        <summary className="tr-muted tr:cursor-pointer">Data</summary>
        <table className="tr:mt-1 tr:w-full" data-testid={`${testId}-data`}>
          <tbody>
            {rows.map((row, i) => (
              <tr key={i}>
                {row.map((cell, j) => (
                  <td key={j} className="tr:pr-3 tr:tabular-nums">
                    {cell ?? "–"}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </section>
  );
}
