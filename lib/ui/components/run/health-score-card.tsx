import { PageLink } from "../../paths";
import { DOMAINS } from "../../../troubleshooting/report";
import type { overview } from "../../../troubleshooting/queries/overview";
import { scoreBand } from "../../../troubleshooting/workflow/health-score";
import { BAND_STYLE, formatTime } from "./labels";

type Health = Awaited<ReturnType<typeof overview>>["health"];

const tone = (score: number | null) => BAND_STYLE[scoreBand(score)];

// A higher score is better: a rise is good news (green), a fall bad news (red), no change neutral.
const TREND_STYLE = {
  up: "tr:text-green-700 tr:dark:text-green-400",
  down: "tr:text-red-700 tr:dark:text-red-400",
  flat: "tr-muted",
} as const;

/** The health score (0-100) of the latest completed run, per domain, and its change since the
 * previous run on the same target that checked the same domains (or that there is none). */
export function HealthScoreCard({ health }: { health: Health }) {
  if (!health) {
    return (
      <section className="tr-card tr:p-5" aria-label="Health score">
        <h2 className="tr:font-semibold">Health score</h2>
        <p className="tr-muted tr:mt-2 tr:text-sm">No completed run yet. Run troubleshooting to get a score.</p>
      </section>
    );
  }
  const { trend, previous } = health;
  const kind = `${health.scopeLabel} run`;
  const direction = trend === null || trend === 0 ? "flat" : trend > 0 ? "up" : "down";
  return (
    <section className="tr-card tr:p-5" aria-label="Health score">
      <h2 className="tr:font-semibold">Health score</h2>
      <div className="tr:mt-2 tr:flex tr:flex-wrap tr:items-baseline tr:gap-x-3 tr:gap-y-1">
        <span className={`tr:text-5xl tr:font-bold tr:tabular-nums ${tone(health.score)}`} data-testid="health-score">
          {health.score}
        </span>
        <span className="tr-muted tr:text-sm">/ 100</span>
        <span className={`tr:text-sm tr:font-medium ${TREND_STYLE[direction]}`} data-testid="health-trend" data-direction={direction}>
          {trend === null || !previous ? (
            `First ${kind} on this target: nothing to compare with yet`
          ) : (
            <>
              {trend === 0 ? "No change" : `${trend > 0 ? "▲ up" : "▼ down"} ${Math.abs(trend)}`} since the previous {kind} on this target (
              <PageLink className="tr:underline" to={`/runs/${previous.runId}`}>
                {previous.score} on {formatTime(previous.at)}
              </PageLink>
              )
            </>
          )}
        </span>
      </div>
      <dl className="tr:mt-4 tr:grid tr:grid-cols-3 tr:gap-2 tr:text-sm">
        {DOMAINS.map((d) => {
          const checked = health.scope.includes(d);
          return (
            <div key={d} className="tr:rounded-lg tr:bg-slate-50 tr:p-2 tr:dark:bg-slate-800/60" data-testid={`health-domain-${d}`}>
              <dt className="tr-muted">{d}</dt>
              <dd className={checked ? `tr:text-lg tr:font-semibold tr:tabular-nums ${tone(health.byDomain[d])}` : "tr-muted tr:mt-1 tr:text-sm tr:leading-snug"}>
                {checked ? (health.byDomain[d] ?? "–") : "not checked"}
              </dd>
            </div>
          );
        })}
      </dl>
      <p className="tr-muted tr:mt-3 tr:text-xs" data-testid="health-source">
        From <PageLink className="tr:underline" to={`/runs/${health.runId}`}>the {kind} of {formatTime(health.at)}</PageLink> on {health.target}
      </p>
    </section>
  );
}
