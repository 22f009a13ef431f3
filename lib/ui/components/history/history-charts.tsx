"use client";

import { Bar, BarChart, CartesianGrid, ReferenceLine, Scatter, ScatterChart, Tooltip, XAxis, YAxis } from "recharts";
import type { DeployMarker, History, ScorePoint } from "../../../troubleshooting/queries/history";
import { deployLabel, shortBuildId } from "../../../troubleshooting/deploys/labels";
import { SEVERITIES } from "../../../troubleshooting/report";
import { ChartCard as Chart, ChartLegend, chartAxis as axis } from "../chart-card";
import { SERIES_PALETTE, SEVERITY_PALETTE, TIME_PALETTE, capitalized, phaseLabel } from "./chart-palette";

/** "1.2 s", "3.5 min", "1.4 h": a duration in ms as one would say it. */
const duration = (ms: number) => (ms < 1_000 ? `${Math.round(ms)} ms` : ms < 120_000 ? `${(ms / 1_000).toFixed(1)} s` : ms < 7_200_000 ? `${(ms / 60_000).toFixed(1)} min` : `${(ms / 3_600_000).toFixed(1)} h`);
const day = (d: string) => d.slice(5);
// A bar never wider than this: one day's figures are a bar, not a block across the chart.
const BAR = 40;

interface Series {
  key: string;
  label: string;
  full: boolean;
  color: string;
  points: (ScorePoint & { t: number })[];
}

/** Runs grouped into series of comparable runs (same target and scope), in order of first appearance. */
function seriesOf(scores: ScorePoint[]): Series[] {
  const out = new Map<string, Series>();
  for (const p of scores) {
    let s = out.get(p.series);
    if (!s) {
      s = { key: p.series, label: `${p.target}: ${p.scopeLabel} runs`, full: p.scopeLabel === "full", color: SERIES_PALETTE[out.size % SERIES_PALETTE.length] as string, points: [] };
      out.set(p.series, s);
    }
    s.points.push({ ...p, t: Date.parse(p.at) });
  }
  return [...out.values()];
}

/** The time axis: the runs' span (scored runs and deploys), padded so that no run sits on an edge
 * (an hour each side for one run). */
function timeDomain(scores: { at: string }[]): [number, number] {
  const times = scores.map((p) => Date.parse(p.at));
  const [min, max] = [Math.min(...times), Math.max(...times)];
  const pad = max === min ? 3_600_000 : (max - min) * 0.05;
  return [min - pad, max + pad];
}

/** Tick labels as precise as the runs' span needs: seconds within minutes, times within days, else dates. */
function timeTick(scores: { at: string }[]): (t: number) => string {
  const [min, max] = timeDomain(scores);
  const span = max - min;
  const [from, to] = span < 1_800_000 ? [11, 19] : span < 2 * 86_400_000 ? [11, 16] : [5, 10];
  return (t: number) => new Date(t).toISOString().slice(from, to);
}

function ScoreTooltip({ active, payload }: { active?: boolean; payload?: readonly { payload?: unknown }[] }) {
  const point = payload?.[0]?.payload as (ScorePoint & { t: number }) | undefined;
  if (!active || !point) return null;
  return (
    <div className="tr-card tr:p-2 tr:text-xs">
      <div className="tr:font-medium">Score {point.score ?? "–"}</div>
      <div>{point.target}</div>
      <div className="tr-muted">
        {point.scopeLabel} run, {point.at.slice(0, 16).replace("T", " ")} UTC
      </div>
    </div>
  );
}

/** The score chart's table: one row per scored run, and per deploy seen by a run without a score,
 * in time order; "Build" says which deploy a run came after, its build, or that none was visible. */
function scoreRows(scores: ScorePoint[], deploys: DeployMarker[]): (string | number | null)[][] {
  const deployOf = new Map(deploys.map((d) => [d.runId, d]));
  const when = (at: string) => at.slice(0, 16).replace("T", " ");
  const rows = scores.map((p) => {
    const deploy = deployOf.get(p.runId);
    const build = deploy ? deployLabel(deploy) : p.buildId ? `build ${shortBuildId(p.buildId)}` : "build id not visible";
    return { at: p.at, cells: [when(p.at), p.target, p.scopeLabel, p.score, p.web, p.database, p.network, build] };
  });
  const scored = new Set(scores.map((p) => p.runId));
  for (const d of deploys) if (!scored.has(d.runId)) rows.push({ at: d.at, cells: [when(d.at), d.target, "no score", null, null, null, null, deployLabel(d)] });
  return rows.sort((a, b) => a.at.localeCompare(b.at)).map((r) => r.cells);
}

/** How many runs of the range showed a build id: what the deploy markers are from. */
function DeploysNote({ data }: { data: History }) {
  const { runs, withBuildId } = data.buildIdsSeen;
  if (runs === 0) return null;
  const text =
    withBuildId === 0
      ? `No run in this range could see a build id on the target's page (build id not visible): deploys cannot be marked.`
      : `Deploys: ${data.deploys.length} marked, from the build ids ${withBuildId} of ${runs} runs in this range could see${withBuildId < runs ? " (the others: build id not visible)" : ""}.`;
  return (
    <p className="tr-muted tr:mb-2 tr:text-xs" data-testid="deploys-note">
      {text}
    </p>
  );
}

export function HistoryCharts({ data }: { data: History }) {
  const series = seriesOf(data.scores);
  const span = [...data.scores, ...data.deploys];
  const tick = timeTick(span);
  const [from, to] = span.length > 0 ? timeDomain(span) : [0, 0];
  // A marker's words go on the side with room: right of the line in the chart's left half, else left.
  const labelSide = (t: number) => (t - from > (to - from) / 2 ? "insideTopRight" : "insideTopLeft");
  const phases = data.phases.map((p) => ({ ...p, label: phaseLabel(p.phase), working: p.workingMs / 1_000, waiting: p.waitingMs / 1_000 }));
  const timeLegend = <ChartLegend entries={[{ label: "Working", color: TIME_PALETTE.working }, { label: "Waiting for approval", color: TIME_PALETTE.waiting }]} />;
  return (
    // min-w-0: a grid item may shrink below its content (a chart, a wide table) on a phone.
    <div className="tr:grid tr:gap-4 tr:@3xl:grid-cols-2 tr:[&>*]:min-w-0">
      <Chart
        title="Health score, one point per run"
        testId="chart-score"
        empty={data.scores.length === 0}
        legend={
          <>
            <DeploysNote data={data} />
            <ChartLegend
              testId="score-legend"
              entries={[...series.map((s) => ({ label: s.label, color: s.color, dashed: !s.full })), ...(data.deploys.length > 0 ? [{ label: "Deploy (build id changed)", color: "currentColor", dashed: true }] : [])]}
            />
          </>
        }
        head={["Run started (UTC)", "Target", "Scope", "Score", "Web", "Database", "Network", "Build"]}
        rows={scoreRows(data.scores, data.deploys)}
      >
        <ScatterChart margin={{ top: 16, right: 12, bottom: 0, left: 0 }}>
          <CartesianGrid strokeOpacity={0.15} />
          <XAxis type="number" dataKey="t" name="Started" scale="time" domain={[from, to]} tickFormatter={tick} tick={axis} />
          <YAxis type="number" dataKey="score" name="Score" domain={[0, 100]} tick={axis} width={32} />
          <Tooltip content={ScoreTooltip} />
          {/* A deploy: a vertical line where a run saw another build than the run before it on its target. */}
          {data.deploys.map((d) => (
            <ReferenceLine
              key={d.runId}
              x={Date.parse(d.at)}
              stroke="currentColor"
              strokeOpacity={0.7}
              strokeDasharray="3 3"
              ifOverflow="extendDomain"
              label={{ value: `deploy ${d.commitSha ? d.commitSha.slice(0, 7) : shortBuildId(d.buildId)}`, position: labelSide(Date.parse(d.at)), fontSize: 11, fill: "currentColor" }}
            />
          ))}
          {/* Only comparable runs are joined by a line; another scope is dashed. */}
          {series.map((s) => (
            <Scatter key={s.key} name={s.label} data={s.points} fill={s.color} line={{ stroke: s.color, strokeDasharray: s.full ? undefined : "5 4" }} lineType="joint" isAnimationActive={false} />
          ))}
        </ScatterChart>
      </Chart>
      <Chart
        title="Issues per day, by severity"
        testId="chart-issues"
        empty={data.issuesPerDay.length === 0}
        legend={<ChartLegend testId="severity-legend" entries={SEVERITIES.map((s) => ({ label: capitalized(s), color: SEVERITY_PALETTE[s] }))} />}
        head={["Day", ...SEVERITIES.map(capitalized)]}
        rows={data.issuesPerDay.map((d) => [d.day, ...SEVERITIES.map((s) => d[s])])}
      >
        <BarChart data={data.issuesPerDay}>
          <CartesianGrid strokeOpacity={0.15} />
          <XAxis dataKey="day" tick={axis} tickFormatter={day} />
          <YAxis allowDecimals={false} tick={axis} width={32} />
          <Tooltip itemSorter={(item) => SEVERITIES.indexOf(item.dataKey as (typeof SEVERITIES)[number])} />
          {/* Critical at the bottom of each stack, where it is easiest to compare. */}
          {SEVERITIES.map((s) => (
            <Bar key={s} dataKey={s} name={capitalized(s)} stackId="severity" fill={SEVERITY_PALETTE[s]} maxBarSize={BAR} isAnimationActive={false} />
          ))}
        </BarChart>
      </Chart>
      <Chart
        title="Time from detection to verified resolution (mean, minutes)"
        testId="chart-resolution"
        empty={data.resolutionMinutes.length === 0}
        legend={timeLegend}
        head={["Day", "Working (min)", "Waiting for approval (min)", "Total (min)"]}
        rows={data.resolutionMinutes.map((d) => [d.day, d.workingMinutes, d.waitingMinutes, d.minutes])}
      >
        <BarChart data={data.resolutionMinutes}>
          <CartesianGrid strokeOpacity={0.15} />
          <XAxis dataKey="day" tick={axis} tickFormatter={day} />
          <YAxis tick={axis} width={40} />
          <Tooltip />
          <Bar dataKey="workingMinutes" name="Working" stackId="time" fill={TIME_PALETTE.working} maxBarSize={BAR} isAnimationActive={false} />
          <Bar dataKey="waitingMinutes" name="Waiting for approval" stackId="time" fill={TIME_PALETTE.waiting} maxBarSize={BAR} isAnimationActive={false} />
        </BarChart>
      </Chart>
      <Chart
        title="Phase durations (mean, seconds)"
        testId="chart-phases"
        empty={data.phases.length === 0}
        legend={timeLegend}
        head={["Phase", "Working, mean", "Waiting for approval, mean", "Total, mean", "Longest"]}
        rows={data.phases.map((p) => [phaseLabel(p.phase), duration(p.workingMs), duration(p.waitingMs), duration(p.avgMs), duration(p.maxMs)])}
      >
        <BarChart data={phases} layout="vertical">
          <CartesianGrid strokeOpacity={0.15} />
          <XAxis type="number" tick={axis} />
          <YAxis type="category" dataKey="label" tick={axis} width={120} />
          <Tooltip formatter={(value) => duration(Number(value) * 1_000)} />
          <Bar dataKey="working" name="Working" stackId="time" fill={TIME_PALETTE.working} maxBarSize={BAR} isAnimationActive={false} />
          <Bar dataKey="waiting" name="Waiting for approval" stackId="time" fill={TIME_PALETTE.waiting} maxBarSize={BAR} isAnimationActive={false} />
        </BarChart>
      </Chart>
      <section className="tr-card tr:p-4 tr:@3xl:col-span-2" aria-label="Findings that keep coming back" data-testid="top-codes">
        <h2 className="tr:mb-2 tr:text-sm tr:font-semibold">Findings that keep coming back</h2>
        <p className="tr-muted tr:mb-2 tr:text-xs">The same check on the same subject and target, in two or more runs of this range.</p>
        {data.topCodes.length === 0 ? (
          <p className="tr-muted tr:text-sm">No finding was made by two or more runs in this range.</p>
        ) : (
          <div className="tr:overflow-x-auto" tabIndex={0} role="region" aria-label="Findings that keep coming back: table">
            <table className="tr:w-full tr:text-left tr:text-sm">
              <thead className="tr-table-head">
                <tr>
                  {["Check", "Subject", "Target", "Runs that found it", "Issues"].map((h) => (
                    <th key={h} scope="col" className="tr:py-1 tr:pr-3 tr:font-medium">
                      {h}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {data.topCodes.map((c) => (
                  <tr key={`${c.code} ${c.subject} ${c.targetKey}`} className="tr:border-t tr:border-slate-100 tr:dark:border-slate-800" data-testid="top-code-row">
                    <th scope="row" className="tr:py-1 tr:pr-3 tr:text-left tr:font-normal">
                      <code>{c.code}</code>
                    </th>
                    <td className="tr:min-w-48 tr:py-1 tr:pr-3 tr:break-words">{c.subject || "–"}</td>
                    <td className="tr:min-w-40 tr:py-1 tr:pr-3">{c.target}</td>
                    <td className="tr:py-1 tr:pr-3 tr:tabular-nums">{c.runs}</td>
                    <td className="tr:py-1 tr:tabular-nums">{c.issues}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </div>
  );
}
