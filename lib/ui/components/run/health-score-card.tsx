import { PageLink } from "../../paths";
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
      <section className="tr-card tr:p-5" aria-label="Health score">
        <h2 className="tr:font-semibold">Health score</h2>
        <p className="tr-muted tr:mt-2 tr:text-sm">No completed run yet. Run troubleshooting to get a score.</p>
      </section>
    );
  }
  const trend = health.trend;
  return (
    <section className="tr-card tr:p-5" aria-label="Health score">
      <h2 className="tr:font-semibold">Health score</h2>
      <div className="tr:mt-2 tr:flex tr:items-baseline tr:gap-3">
        <span className={`tr:text-5xl tr:font-bold tr:tabular-nums ${tone(health.score)}`} data-testid="health-score">
          {health.score}
        </span>
        <span className="tr-muted tr:text-sm">/ 100</span>
        {trend !== null && (
          <span className={`tr:text-sm tr:font-medium ${trend < 0 ? "tr:text-red-700 tr:dark:text-red-400" : "tr:text-green-700 tr:dark:text-green-400"}`}>
            {trend === 0 ? "no change" : `${trend > 0 ? "▲" : "▼"} ${Math.abs(trend)} since the previous run`}
          </span>
        )}
      </div>
      <dl className="tr:mt-4 tr:grid tr:grid-cols-3 tr:gap-2 tr:text-sm">
        {DOMAINS.map((d) => (
          <div key={d} className="tr:rounded-lg tr:bg-slate-50 tr:p-2 tr:dark:bg-slate-800/60">
            <dt className="tr-muted">{d}</dt>
            <dd className={`tr:text-lg tr:font-semibold tr:tabular-nums ${tone(health.byDomain[d])}`}>{health.byDomain[d] ?? "–"}</dd>
          </div>
        ))}
      </dl>
      <p className="tr-muted tr:mt-3 tr:text-xs">
        From <PageLink className="tr:underline" to={`/runs/${health.runId}`}>the run of {formatTime(health.at)}</PageLink>
      </p>
    </section>
  );
}
