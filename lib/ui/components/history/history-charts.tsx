"use client";

import { Bar, BarChart, CartesianGrid, Legend, Line, LineChart, Tooltip, XAxis, YAxis } from "recharts";
import type { History } from "../../../troubleshooting/queries/history";
import { SEVERITIES } from "../../../troubleshooting/report";
import { ChartCard as Chart, chartAxis as axis } from "../chart-card";
import { SEVERITY_COLORS } from "../run/labels";

const DOMAIN_COLORS = { web: "#6366f1", database: "#0ea5e9", network: "#14b8a6" };

export function HistoryCharts({ data }: { data: History }) {
  const label = (at: string) => (data.range === "24h" ? at.slice(11, 16) : at.slice(5, 10));
  const scores = data.scores.map((p) => ({ ...p, label: label(p.at) }));
  return (
    <div className="tr:grid tr:gap-4 tr:@3xl:grid-cols-2">
      <Chart title="Health score" testId="chart-score" empty={scores.length === 0} rows={data.scores.map((p) => [p.at.slice(0, 16), p.score, p.web, p.database, p.network])}>
        <LineChart data={scores}>
          <CartesianGrid strokeOpacity={0.15} />
          <XAxis dataKey="label" tick={axis} />
          <YAxis domain={[0, 100]} tick={axis} width={32} />
          <Tooltip />
          <Legend />
          <Line dataKey="score" name="overall" stroke="#111827" strokeWidth={2} dot={false} isAnimationActive={false} />
          {(["web", "database", "network"] as const).map((d) => (
            <Line key={d} dataKey={d} stroke={DOMAIN_COLORS[d]} dot={false} isAnimationActive={false} />
          ))}
        </LineChart>
      </Chart>
      <Chart title="Issues per day, by severity" testId="chart-issues" empty={data.issuesPerDay.length === 0} rows={data.issuesPerDay.map((d) => [d.day, ...SEVERITIES.map((s) => d[s])])}>
        <BarChart data={data.issuesPerDay}>
          <CartesianGrid strokeOpacity={0.15} />
          <XAxis dataKey="day" tick={axis} tickFormatter={(d: string) => d.slice(5)} />
          <YAxis allowDecimals={false} tick={axis} width={32} />
          <Tooltip />
          <Legend />
          {SEVERITIES.map((s) => (
            <Bar key={s} dataKey={s} stackId="severity" fill={SEVERITY_COLORS[s]} isAnimationActive={false} />
          ))}
        </BarChart>
      </Chart>
      <Chart title="Mean time from detection to verified resolution (minutes)" testId="chart-resolution" empty={data.resolutionMinutes.length === 0} rows={data.resolutionMinutes.map((d) => [d.day, d.minutes])}>
        <LineChart data={data.resolutionMinutes}>
          <CartesianGrid strokeOpacity={0.15} />
          <XAxis dataKey="day" tick={axis} tickFormatter={(d: string) => d.slice(5)} />
          <YAxis tick={axis} width={40} />
          <Tooltip />
          <Line dataKey="minutes" stroke="#16a34a" isAnimationActive={false} />
        </LineChart>
      </Chart>
      <Chart title="Phase durations (ms, mean and max)" testId="chart-phases" empty={data.phases.length === 0} rows={data.phases.map((p) => [p.phase, p.avgMs, p.maxMs])}>
        <BarChart data={data.phases} layout="vertical">
          <CartesianGrid strokeOpacity={0.15} />
          <XAxis type="number" tick={axis} />
          <YAxis type="category" dataKey="phase" tick={axis} width={120} />
          <Tooltip />
          <Legend />
          <Bar dataKey="avgMs" name="mean" fill="#6366f1" isAnimationActive={false} />
          <Bar dataKey="maxMs" name="max" fill="#a5b4fc" isAnimationActive={false} />
        </BarChart>
      </Chart>
      <section className="tr-card tr:p-4 tr:@3xl:col-span-2" aria-label="Top recurring issue codes" data-testid="top-codes">
        <h2 className="tr:mb-2 tr:text-sm tr:font-semibold">Top recurring issue codes</h2>
        {data.topCodes.length === 0 ? (
          <p className="tr-muted tr:text-sm">No issues in this range.</p>
        ) : (
          <table className="tr:w-full tr:text-sm">
            <thead className="tr-table-head">
              <tr>
                <th className="tr:py-1 tr:font-medium">code</th>
                <th className="tr:py-1 tr:font-medium">issues</th>
                <th className="tr:py-1 tr:font-medium">runs</th>
              </tr>
            </thead>
            <tbody>
              {data.topCodes.map((c) => (
                <tr key={c.code} className="tr:border-t tr:border-slate-100 tr:dark:border-slate-800">
                  <td className="tr:py-1">
                    <code>{c.code}</code>
                  </td>
                  <td className="tr:py-1 tr:tabular-nums">{c.issues}</td>
                  <td className="tr:py-1 tr:tabular-nums">{c.runs}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </div>
  );
}
