import type { Metadata } from "next";
import Link from "next/link";
import { HealthSummary } from "../components/health-summary";
import { RecentRuns } from "../components/recent-runs";
import { HealthScoreCard } from "../components/run/health-score-card";
import { StatusText, formatTime } from "../components/run/labels";
import { StartRunForm } from "../components/run/start-run-form";
import { db } from "../../db";
import { checkAppHealth } from "../../health/app-health";
import { overview } from "../../troubleshooting/queries/overview";

export const metadata: Metadata = { title: "Troubleshooting" };

export default async function OverviewPage() {
  const [health, data] = await Promise.all([checkAppHealth(db()), overview(db()).catch(() => null)]);
  return (
    <div className="space-y-6">
      <section>
        <h1 className="text-lg font-semibold">Troubleshooting</h1>
        <p className="muted mt-1 text-sm">Diagnose the web, database and network layers of your platform, apply safe fixes, and verify them.</p>
      </section>
      {data?.active && (
        <p className="card flex flex-wrap items-center gap-2 border-indigo-300 p-4 text-sm dark:border-indigo-800" data-testid="active-run">
          A run is in progress (<StatusText status={data.active.status} />, started {formatTime(data.active.startedAt)}).
          <Link className="btn" href={`/admin/troubleshooting/runs/${data.active.id}`}>
            Watch it
          </Link>
        </p>
      )}
      <div className="grid gap-6 md:grid-cols-2 [&>*]:min-w-0">
        <HealthScoreCard health={data?.health ?? null} />
        <StartRunForm />
      </div>
      <RecentRuns runs={data?.recent ?? null} />
      {data && data.recurring.length > 0 && (
        <section className="card" aria-label="Recurring issues">
          <h2 className="card-title">Open issues that keep coming back (30 days)</h2>
          <ul className="divide-y divide-slate-100 text-sm dark:divide-slate-800">
            {data.recurring.map((issue) => (
              <li key={`${issue.code}-${issue.domain}`} className="flex flex-wrap items-center justify-between gap-2 px-5 py-2">
                <span>
                  {issue.title} <code className="muted text-xs">{issue.code}</code>
                </span>
                <span className="muted">
                  in {issue.runs} runs, last {formatTime(issue.lastSeen)}
                </span>
              </li>
            ))}
          </ul>
        </section>
      )}
      <HealthSummary health={health} />
    </div>
  );
}
