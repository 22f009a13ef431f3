import { HealthSummary } from "../components/health-summary";
import { RecentRuns } from "../components/recent-runs";
import { HealthScoreCard } from "../components/run/health-score-card";
import { StatusText, formatTime } from "../components/run/labels";
import { StartRunForm } from "../components/run/start-run-form";
import type { PrismaClient } from "../../db";
import { PageLink } from "../paths";
import { PendingDecisionsLink } from "../components/pending-decisions-link";
import type { TargetLabel } from "../target";
import { checkAppHealth } from "../../health/app-health";
import { overview } from "../../troubleshooting/queries/overview";

/** `target`: what a run started here checks; `waiting`: runs waiting for an admin's decision. */
export async function OverviewPage({ prisma, target, waiting = [] }: { prisma: PrismaClient; target?: TargetLabel; waiting?: { runId: string; pending: number }[] }) {
  const [health, data] = await Promise.all([checkAppHealth(prisma), overview(prisma).catch(() => null)]);
  return (
    <div className="tr:space-y-6">
      <section>
        <h1 className="tr:text-lg tr:font-semibold">Troubleshooting</h1>
        <p className="tr-muted tr:mt-1 tr:text-sm">Diagnose the web, database and network layers of your platform, apply safe fixes, and verify them.</p>
      </section>
      {waiting.map((w) => (
        // A person is needed: said first, in words, with the way to the decisions.
        <section key={w.runId} className="tr-card tr:flex tr:flex-wrap tr:items-center tr:gap-3 tr:border-amber-400 tr:p-4 tr:text-sm tr:dark:border-amber-700" aria-label="Waiting for your decision" data-testid="needs-decision">
          <strong className="tr:font-semibold">A run is waiting for you.</strong>
          <PendingDecisionsLink runId={w.runId} count={w.pending} />
        </section>
      ))}
      {data?.active && !waiting.some((w) => w.runId === data.active?.id) && (
        <p className="tr-card tr:flex tr:flex-wrap tr:items-center tr:gap-2 tr:border-indigo-300 tr:p-4 tr:text-sm tr:dark:border-indigo-800" data-testid="active-run">
          A run is in progress (<StatusText status={data.active.status} />, started {formatTime(data.active.startedAt)}).
          <PageLink className="tr-btn" to={`/runs/${data.active.id}`}>
            Watch it
          </PageLink>
        </p>
      )}
      <div className="tr:grid tr:gap-6 tr:@xl:grid-cols-2 tr:[&>*]:min-w-0">
        <HealthScoreCard health={data?.health ?? null} />
        <StartRunForm target={target} />
      </div>
      <RecentRuns runs={data?.recent ?? null} />
      {data && data.recurring.length > 0 && (
        <section className="tr-card" aria-label="Recurring issues">
          <h2 className="tr-card-title">Open issues that keep coming back (30 days)</h2>
          <ul className="tr:divide-y tr:divide-slate-100 tr:text-sm tr:dark:divide-slate-800">
            {data.recurring.map((issue) => (
              <li key={`${issue.code}|${issue.subject}|${issue.targetKey}`} className="tr:flex tr:flex-wrap tr:items-center tr:justify-between tr:gap-2 tr:px-5 tr:py-2">
                <span>
                  {issue.title} <code className="tr-muted tr:text-xs">{issue.code}</code>
                </span>
                <span className="tr-muted">
                  {issue.subject ? <>on {issue.subject}, </> : null}in {issue.runs} runs on {issue.target}, last {formatTime(issue.lastSeen)}
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
