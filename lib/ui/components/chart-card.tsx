"use client";

import type { ReactNode } from "react";
import { ResponsiveContainer } from "recharts";

export const chartAxis = { fontSize: 11, stroke: "currentColor", opacity: 0.6 };

/** A chart with its data as a table underneath (for screen readers and for checking the figures). */
export function ChartCard({ title, testId, empty, rows, children }: { title: string; testId: string; empty: boolean; rows: (string | number | null)[][]; children: ReactNode }) {
  return (
    <section className="card p-4" aria-label={title} data-testid={testId}>
      <h2 className="mb-2 text-sm font-semibold">{title}</h2>
      {empty ? (
        <p className="muted py-10 text-center text-sm">No data in this range yet.</p>
      ) : (
        <div className="h-56">
          <ResponsiveContainer width="100%" height="100%">
            {children as React.ReactElement}
          </ResponsiveContainer>
        </div>
      )}
      <details className="mt-2 text-xs">
        <summary className="muted cursor-pointer">Data</summary>
        <table className="mt-1 w-full" data-testid={`${testId}-data`}>
          <tbody>
            {rows.map((row, i) => (
              <tr key={i}>
                {row.map((cell, j) => (
                  <td key={j} className="pr-3 tabular-nums">
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
