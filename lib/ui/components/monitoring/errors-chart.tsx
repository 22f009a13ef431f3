"use client";

import { Bar, BarChart, CartesianGrid, Tooltip, XAxis, YAxis } from "recharts";
import { ERROR_CATEGORIES, type ErrorCategory } from "../../../monitoring/errors";
import type { ErrorsPerDay } from "../../../monitoring/error-report";
import { ChartCard, ChartLegend, chartAxis } from "../chart-card";

// Paul Tol's colour-blind-safe "vibrant" scheme: one distinct colour per category.
const CATEGORY_COLORS: Record<ErrorCategory, string> = {
  timeout: "#EE7733",
  connection: "#CC3311",
  auth: "#EE3377",
  validation: "#33BBEE",
  target: "#009988",
  internal: "#BBBBBB",
};
const label = (c: string) => c.charAt(0).toUpperCase() + c.slice(1);

export function ErrorsChart({ perDay }: { perDay: ErrorsPerDay[] }) {
  return (
    <ChartCard
      title="Errors per day, by category"
      testId="chart-errors"
      empty={perDay.length === 0}
      legend={<ChartLegend entries={ERROR_CATEGORIES.map((c) => ({ label: label(c), color: CATEGORY_COLORS[c] }))} />}
      head={["Day", ...ERROR_CATEGORIES.map(label)]}
      rows={perDay.map((d) => [d.day, ...ERROR_CATEGORIES.map((c) => d[c])])}
    >
      <BarChart data={perDay}>
        <CartesianGrid strokeOpacity={0.15} />
        <XAxis dataKey="day" tick={chartAxis} tickFormatter={(d: string) => d.slice(5)} />
        <YAxis allowDecimals={false} tick={chartAxis} width={32} />
        <Tooltip itemSorter={(item) => ERROR_CATEGORIES.indexOf(item.dataKey as ErrorCategory)} />
        {ERROR_CATEGORIES.map((c) => (
          <Bar key={c} dataKey={c} name={label(c)} stackId="category" fill={CATEGORY_COLORS[c]} maxBarSize={40} isAnimationActive={false} />
        ))}
      </BarChart>
    </ChartCard>
  );
}
