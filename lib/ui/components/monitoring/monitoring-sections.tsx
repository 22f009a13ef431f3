import type { ReactNode } from "react";
import { PageLink } from "../../paths";
import type { MonitoringOverview } from "../../../monitoring/monitoring-page";
import { BAND_STYLE, formatMs, formatTime } from "../run/labels";

const percent = (rate: number | null) => (rate == null ? "–" : `${Math.round(rate * 100)} %`);

function Section({ title, testId, children }: { title: string; testId: string; children: ReactNode }) {
  return (
    <section className="tr-card tr:overflow-x-auto tr:p-4" aria-label={title} data-testid={testId}>
      <h2 className="tr:mb-2 tr:text-sm tr:font-semibold">{title}</h2>
      {children}
    </section>
  );
}

function Table({ head, rows, empty }: { head: string[]; rows: ReactNode[][]; empty: string }) {
  if (rows.length === 0) return <p className="tr-muted tr:text-sm">{empty}</p>;
  return (
    <table className="tr:w-full tr:text-left tr:text-sm">
      <thead>
        <tr className="tr-muted tr:text-xs">{head.map((h) => <th key={h} className="tr:pr-3 tr:font-medium">{h}</th>)}</tr>
      </thead>
      <tbody>
        {rows.map((row, i) => (
          <tr key={i} className="tr:border-t tr:border-black/5 tr:align-top tr:dark:border-white/10">
            {row.map((cell, j) => <td key={j} className="tr:py-1 tr:pr-3 tr:tabular-nums">{cell}</td>)}
          </tr>
        ))}
      </tbody>
    </table>
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
        head={["count", "runs", "category", "where", "pattern", "what to do"]}
        empty="No errors in this range."
        rows={errors.patterns.map((p) => [p.count, p.runs, p.category, `${p.code} (${p.source})`, <code key="p" className="tr:text-xs">{p.pattern}</code>, <span key="r" className="tr:text-xs">{p.recommendation}</span>])}
      />
    </Section>
  );
}

export function PerformanceTables({ bots, checks }: Pick<MonitoringOverview, "bots" | "checks">) {
  const ran = checks.filter((c) => c.runs > c.skipped);
  return (
    <div className="tr:grid tr:gap-4 tr:@3xl:grid-cols-2">
      <Section title="Bots" testId="bot-performance">
        <Table
          head={["bot", "runs", "did not finish", "success", "p50", "p95"]}
          empty="No bot has run in this range."
          rows={bots.map((b) => [b.bot, b.runs, b.degraded, percent(b.successRate), formatMs(b.p50Ms), formatMs(b.p95Ms)])}
        />
      </Section>
      <Section title="Checks" testId="check-performance">
        <Table
          head={["check", "runs", "errors", "success", "p50", "p95"]}
          empty="No check has run in this range."
          rows={ran.map((c) => [c.code, c.runs - c.skipped, c.errors, percent(c.successRate), formatMs(c.p50Ms), formatMs(c.p95Ms)])}
        />
      </Section>
    </div>
  );
}

export function AlertsList({ alerts }: { alerts: MonitoringOverview["alerts"] }) {
  return (
    <Section title="Alerts" testId="alerts">
      <Table
        head={["raised", "kind", "severity", "alert", "delivery", "repeats"]}
        empty="No alerts raised."
        rows={alerts.map((a) => [
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
