"use client";

import { Bar, BarChart, CartesianGrid, Legend, Tooltip, XAxis, YAxis } from "recharts";
import { ERROR_CATEGORIES, type ErrorCategory } from "../../../monitoring/errors";
import type { ErrorsPerDay } from "../../../monitoring/error-report";
import { ChartCard, chartAxis } from "../chart-card";

const CATEGORY_COLORS: Record<ErrorCategory, string> = {
  timeout: "#d97706",
  connection: "#dc2626",
  auth: "#7c3aed",
  validation: "#0284c7",
  target: "#ea580c",
  internal: "#64748b",
};

export function ErrorsChart({ perDay }: { perDay: ErrorsPerDay[] }) {
  return (
    <ChartCard title="Errors per day, by category" testId="chart-errors" empty={perDay.length === 0} rows={perDay.map((d) => [d.day, ...ERROR_CATEGORIES.map((c) => d[c])])}>
      <BarChart data={perDay}>
        <CartesianGrid strokeOpacity={0.15} />
        <XAxis dataKey="day" tick={chartAxis} tickFormatter={(d: string) => d.slice(5)} />
        <YAxis allowDecimals={false} tick={chartAxis} width={32} />
        <Tooltip />
        <Legend />
        {ERROR_CATEGORIES.map((c) => (
          <Bar key={c} dataKey={c} stackId="category" fill={CATEGORY_COLORS[c]} isAnimationActive={false} />
        ))}
      </BarChart>
    </ChartCard>
  );
}
