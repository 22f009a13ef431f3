import Link from "next/link";
import { DOMAINS } from "../../../troubleshooting/report";
import type { overview } from "../../../troubleshooting/queries/overview";
import { scoreBand } from "../../../troubleshooting/workflow/health-score";
import { BAND_STYLE, formatTime } from "./labels";

type Health = Awaited<ReturnType<typeof overview>>["health"];

const tone = (score: number | null) => BAND_STYLE[scoreBand(score)];

/** The health score (0-100) of the latest completed run, per domain, and the change since the run before. */
export function HealthScoreCard({ health }: { health: Health }) {
  if (!health) {
    return (
      <section className="card p-5" aria-label="Health score">
        <h2 className="font-semibold">Health score</h2>
        <p className="muted mt-2 text-sm">No completed run yet. Run troubleshooting to get a score.</p>
      </section>
    );
  }
  const trend = health.trend;
  return (
    <section className="card p-5" aria-label="Health score">
      <h2 className="font-semibold">Health score</h2>
      <div className="mt-2 flex items-baseline gap-3">
        <span className={`text-5xl font-bold tabular-nums ${tone(health.score)}`} data-testid="health-score">
          {health.score}
        </span>
        <span className="muted text-sm">/ 100</span>
        {trend !== null && (
          <span className={`text-sm font-medium ${trend < 0 ? "text-red-700 dark:text-red-400" : "text-green-700 dark:text-green-400"}`}>
            {trend === 0 ? "no change" : `${trend > 0 ? "▲" : "▼"} ${Math.abs(trend)} since the previous run`}
          </span>
        )}
      </div>
      <dl className="mt-4 grid grid-cols-3 gap-2 text-sm">
        {DOMAINS.map((d) => (
          <div key={d} className="rounded-lg bg-slate-50 p-2 dark:bg-slate-800/60">
            <dt className="muted">{d}</dt>
            <dd className={`text-lg font-semibold tabular-nums ${tone(health.byDomain[d])}`}>{health.byDomain[d] ?? "–"}</dd>
          </div>
        ))}
      </dl>
      <p className="muted mt-3 text-xs">
        From <Link className="underline" href={`/admin/troubleshooting/runs/${health.runId}`}>the run of {formatTime(health.at)}</Link>
      </p>
    </section>
  );
}
