import { DOMAINS, type RunReport } from "../../../troubleshooting/report";
import type { BotProgress } from "../../../troubleshooting/queries/progress";
import { domainBreakdown } from "../../../troubleshooting/report-view";
import { SeverityBadge } from "./labels";

/** One card per diagnostic bot: checks done of total, degraded or not, and its domain's breakdown
 * (checks that found issues or could not run; issues by severity, how many still open). */
export function BotCards({ progress, report }: { progress: BotProgress; report: RunReport }) {
  const breakdown = new Map(domainBreakdown(report).map((d) => [d.domain, d]));
  return (
    <section className="tr:grid tr:gap-4 tr:@lg:grid-cols-3" aria-label="Bots">
      {DOMAINS.map((domain) => {
        const finished = report.checks.filter((c) => c.domain === domain);
        const bot = progress[domain];
        const done = finished.length > 0 ? finished.length : bot.done;
        const issues = Math.max(bot.issues, report.issues.filter((i) => i.domain === domain).length);
        const skipped = finished.length > 0 && finished.every((c) => c.reason === "domain not selected for this run");
        const percent = bot.total === 0 ? 0 : Math.round((Math.min(done, bot.total) / bot.total) * 100);
        const figures = breakdown.get(domain);
        return (
          <div key={domain} className="tr-card tr:p-4" data-testid={`bot-${domain}`}>
            <div className="tr:flex tr:items-center tr:justify-between">
              <h3 className="tr:font-semibold">{domain} bot</h3>
              {report.degradedDomains.includes(domain) && <span className="tr:text-xs tr:font-medium tr:text-amber-700 tr:dark:text-amber-300">degraded</span>}
            </div>
            <p className="tr-muted tr:mt-1 tr:text-sm">
              {skipped ? "not selected" : `${Math.min(done, bot.total)} of ${bot.total} checks · ${issues} issue${issues === 1 ? "" : "s"}`}
            </p>
            <div className="tr:mt-2 tr:h-1.5 tr:rounded tr:bg-slate-100 tr:dark:bg-slate-800" role="progressbar" aria-valuenow={percent} aria-valuemin={0} aria-valuemax={100} aria-label={`${domain} checks`}>
              <div className="tr:h-1.5 tr:rounded tr:bg-indigo-500" style={{ width: `${skipped ? 0 : percent}%` }} />
            </div>
            {figures && !skipped && finished.length > 0 && (
              <div className="tr:mt-2 tr:space-y-1 tr:text-xs" data-testid={`breakdown-${domain}`}>
                <p>
                  {figures.checks.run} checks run: {figures.checks.passed} passed, {figures.checks.withIssues} found issues
                  {figures.checks.errors > 0 && `, ${figures.checks.errors} could not run`}
                </p>
                {issues > 0 && (
                  <p className="tr:flex tr:flex-wrap tr:items-center tr:gap-1.5">
                    {figures.bySeverity
                      .filter((s) => s.count > 0)
                      .map((s) => (
                        <span key={s.severity} className="tr:inline-flex tr:items-center tr:gap-1">
                          <span className="tr:tabular-nums">{s.count}</span> <SeverityBadge severity={s.severity} />
                        </span>
                      ))}
                    <span className="tr-muted">· {figures.open} open</span>
                  </p>
                )}
              </div>
            )}
            {finished
              .filter((c) => c.note)
              .map((c) => (
                <p key={c.code} className="tr-muted tr:mt-2 tr:text-xs" data-testid={`note-${c.code}`}>
                  {c.note}
                </p>
              ))}
          </div>
        );
      })}
    </section>
  );
}
