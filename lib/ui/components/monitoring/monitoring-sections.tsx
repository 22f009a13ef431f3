import type { ReactNode } from "react";
import { PageLink } from "../../paths";
import type { MonitoringOverview } from "../../../monitoring/monitoring-page";
import { BAND_STYLE, formatMs, formatTime } from "../run/labels";

const percent = (rate: number | null) => (rate == null ? "–" : `${Math.round(rate * 100)} %`);

function Section({ title, testId, children }: { title: string; testId: string; children: ReactNode }) {
  return (
    <section className="tr-card tr:min-w-0 tr:p-4" aria-label={title} data-testid={testId}>
      <h2 className="tr:mb-2 tr:text-sm tr:font-semibold">{title}</h2>
      {children}
    </section>
  );
}

/** A cell of elements (a pattern, advice) rather than a figure or a name. */
const isProse = (cell: ReactNode) => typeof cell === "object";

/** A table that scrolls sideways on a narrow screen, in a region the keyboard can reach (and scroll). */
function Table({ label, head, rows, empty }: { label: string; head: string[]; rows: ReactNode[][]; empty: string }) {
  if (rows.length === 0) return <p className="tr-muted tr:text-sm">{empty}</p>;
  return (
    <div className="tr:overflow-x-auto" tabIndex={0} role="region" aria-label={`${label}: table`}>
      <table className="tr:w-full tr:text-left tr:text-sm">
        <thead>
          <tr className="tr-muted tr:text-xs">{head.map((h) => <th key={h} scope="col" className="tr:pr-3 tr:font-medium">{h}</th>)}</tr>
        </thead>
        <tbody>
          {rows.map((row, i) => (
            <tr key={i} className="tr:border-t tr:border-black/5 tr:align-top tr:dark:border-white/10">
              {/* Figures and names stay on one line (the region scrolls); prose cells wrap. */}
              {row.map((cell, j) => <td key={j} className={`tr:py-1 tr:pr-3 tr:tabular-nums ${isProse(cell) ? "" : "tr:whitespace-nowrap"}`}>{cell}</td>)}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function StatusPanel({ status }: { status: MonitoringOverview["status"] }) {
  return (
    <Section title="Status" testId="monitoring-status">
      <p className="tr:text-sm">
        Overall: <strong className={BAND_STYLE[status.status]}>{status.status}</strong>
        {status.score != null && <> · health score <strong>{status.score}</strong></>}
      </p>
      <ul className="tr:mt-2 tr:grid tr:gap-2 tr:text-sm tr:@lg:grid-cols-2 tr:@3xl:grid-cols-4">
        {Object.entries(status.components).map(([name, c]) => (
          <li key={name} className="tr:rounded tr:border tr:border-black/10 tr:p-2 tr:dark:border-white/10" data-testid={`component-${name}`}>
            <span className="tr:font-medium">{name}</span> <span className={BAND_STYLE[c.status]}>{c.status}</span>
            <div className="tr-muted tr:text-xs">{c.detail}</div>
          </li>
        ))}
      </ul>
    </Section>
  );
}

export function ErrorPatterns({ errors }: { errors: MonitoringOverview["errors"] }) {
  return (
    <Section title="Most frequent error patterns" testId="error-patterns">
      <Table
        label="Error patterns"
        head={["Errors", "Runs", "Category", "Where", "Pattern and examples", "What to do"]}
        empty="No errors in this range."
        rows={errors.patterns.map((p) => [
          p.count,
          p.runs,
          p.category,
          `${p.code} (${p.source})`,
          <div key="p" className="tr:min-w-48 tr:text-xs" data-testid="error-pattern">
            <code className="tr:break-words">{p.readable}</code>
            {p.examples.length > 0 && (
              <ul className="tr-muted tr:mt-1 tr:list-disc tr:pl-4" aria-label="Examples">
                {p.examples.map((e) => (
                  <li key={e} className="tr:break-words">
                    {e}
                  </li>
                ))}
              </ul>
            )}
          </div>,
          <span key="r" className="tr:text-xs">{p.recommendation}</span>,
        ])}
      />
    </Section>
  );
}

// "Ran OK" is how often a bot or check did its job without an error, whatever it found: a check
// that ran OK every time may still have found a critical issue every time, hence the column
// beside it.
const ofRuns = (n: number, total: number) => (total === 0 ? "–" : n === 0 ? "0" : `${n} (${percent(n / total)})`);

export function PerformanceTables({ bots, checks }: Pick<MonitoringOverview, "bots" | "checks">) {
  const ran = checks.filter((c) => c.runs > c.skipped);
  return (
    <div className="tr:grid tr:gap-4 tr:@3xl:grid-cols-2 tr:[&>*]:min-w-0">
      <Section title="Bots" testId="bot-performance">
        <Table
          label="Bots"
          head={["Bot", "Runs", "Did not finish", "Finished OK", "Median time", "95th percentile"]}
          empty="No bot has run in this range."
          rows={bots.map((b) => [b.bot, b.runs, b.degraded, percent(b.successRate), formatMs(b.p50Ms), formatMs(b.p95Ms)])}
        />
      </Section>
      <Section title="Checks" testId="check-performance">
        <p className="tr-muted tr:mb-2 tr:text-xs">Ran OK: the check ran without error (whatever it found). Found issues: how many of those runs it reported a problem in.</p>
        <Table
          label="Checks"
          head={["Check", "Runs", "Ran OK", "Found issues", "Errors", "Median time", "95th percentile"]}
          empty="No check has run in this range."
          rows={ran.map((c) => [c.code, c.runs - c.skipped, percent(c.successRate), ofRuns(c.issues, c.runs - c.skipped), c.errors, formatMs(c.p50Ms), formatMs(c.p95Ms)])}
        />
      </Section>
    </div>
  );
}

/** The newest few alerts only: channels, thresholds, schedules and each destination's delivery
 * are on the alerts page, which this links to rather than repeating it. */
export function AlertsList({ alerts }: { alerts: MonitoringOverview["alerts"] }) {
  return (
    <Section title="Alerts" testId="alerts">
      <p className="tr:mb-2 tr:text-sm">
        <PageLink to="/alerts" className="tr:text-indigo-700 tr:underline tr:dark:text-indigo-300">
          Alert channels, thresholds, schedules and delivery per channel
        </PageLink>
      </p>
      <Table
        label="Alerts"
        head={["Raised", "Kind", "Severity", "Alert", "Delivery", "Repeats"]}
        empty="No alerts raised."
        rows={alerts.slice(0, 5).map((a) => [
          formatTime(a.createdAt),
          a.kind.replaceAll("_", " "),
          a.severity,
          <span key="t">
            {a.runId ? <PageLink to={`/runs/${a.runId}`}>{a.title}</PageLink> : a.title}
            <span className="tr-muted tr:block tr:text-xs">{a.message}</span>
          </span>,
          `${a.status.replaceAll("_", " ")}${a.attempts > 1 ? ` (${a.attempts} attempts)` : ""}${a.lastError ? `: ${a.lastError}` : ""}`,
          a.repeats,
        ])}
      />
    </Section>
  );
}
