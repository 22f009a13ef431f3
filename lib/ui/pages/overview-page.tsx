import { HealthSummary } from "../components/health-summary";
import { RecentRuns } from "../components/recent-runs";
import { HealthScoreCard } from "../components/run/health-score-card";
import { StatusText, formatTime } from "../components/run/labels";
import { StartRunForm } from "../components/run/start-run-form";
import { TargetPicker } from "../components/target-picker";
import { FleetCard } from "../components/targets/fleet-card";
import type { PrismaClient } from "../../db";
import type { Env } from "../../env";
import { PageLink } from "../paths";
import { PendingDecisionsLink } from "../components/pending-decisions-link";
import { checkAppHealth } from "../../health/app-health";
import { listTargetRefs, targetNames } from "../../targets/scope";
import { fleetSummary } from "../../troubleshooting/queries/fleet";
import { overview } from "../../troubleshooting/queries/overview";

/** `config`: the default target's settings; `searchParams.target`: the target shown (absent: the
 * fleet); `waiting`: runs waiting for an admin's decision. */
export async function OverviewPage({
  prisma,
  config,
  searchParams = {},
  waiting = [],
}: {
  prisma: PrismaClient;
  config: Pick<Env, "targetBaseUrl" | "targetDatabaseUrl">;
  searchParams?: Record<string, string | string[] | undefined>;
  waiting?: { runId: string; pending: number }[];
}) {
  const targets = await listTargetRefs(prisma, config).catch(() => null);
  const name = typeof searchParams.target === "string" && searchParams.target ? searchParams.target : undefined;
  const chosen = name ? targets?.find((t) => t.name === name) : undefined;
  // One target (only the default): its overview, as before there were several.
  const single = targets?.length === 1 ? targets[0] : undefined;
  const scope = chosen ?? single;
  const fleet = !scope && targets ? await fleetSummary(prisma, targets.map((t) => t.targetKey)).catch(() => null) : null;
  const [health, data] = await Promise.all([checkAppHealth(prisma), overview(prisma, scope?.targetKey, targetNames(targets ?? [])).catch(() => null)]);
  return (
    <div className="tr:space-y-6">
      <section className="tr:flex tr:flex-wrap tr:items-end tr:justify-between tr:gap-4">
        <div>
          <h1 className="tr:text-lg tr:font-semibold">{chosen ? `Troubleshooting: ${chosen.name}` : "Troubleshooting"}</h1>
          <p className="tr-muted tr:mt-1 tr:text-sm">Diagnose the web, database and network layers of your platform, apply safe fixes, and verify them.</p>
        </div>
        {targets && targets.length > 1 && <TargetPicker targets={targets} current={chosen?.name} />}
      </section>
      {name && !chosen && (
        <p role="alert" className="tr-card tr:p-4 tr:text-sm tr:text-red-700 tr:dark:text-red-400">
          No target is named “{name}”: it may have been removed. Showing every target.
        </p>
      )}
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
      {!scope && targets && (fleet ? <FleetCard targets={targets} rows={fleet} /> : <p className="tr-card tr-muted tr:p-4 tr:text-sm">The targets’ latest runs cannot be read while the database is unreachable.</p>)}
      <div className="tr:grid tr:gap-6 tr:@xl:grid-cols-2 tr:[&>*]:min-w-0">
        {scope ? <HealthScoreCard health={data?.health ?? null} /> : null}
        <StartRunForm targets={targets ?? []} initialTarget={scope?.name} />
      </div>
      <RecentRuns runs={data?.recent ?? null} title={chosen ? `Recent runs on ${chosen.name}` : "Recent runs"} />
      {data && data.recurring.length > 0 && (
        <section className="tr-card" aria-label="Recurring issues">
          <h2 className="tr-card-title">Open issues that keep coming back (30 days)</h2>
          <ul className="tr:divide-y tr:divide-slate-100 tr:text-sm tr:dark:divide-slate-800">
            {data.recurring.map((issue) => (
              <li key={issue.id} className="tr:flex tr:flex-wrap tr:items-center tr:justify-between tr:gap-2 tr:px-5 tr:py-2">
                <span>
                  <PageLink to={`/issues/${issue.id}`} className="tr:underline">
                    {issue.title}
                  </PageLink>{" "}
                  <code className="tr-muted tr:text-xs">{issue.code}</code>
                </span>
                <span className="tr-muted">
                  {issue.subject ? <>on {issue.subject}, </> : null}seen in {issue.runs} runs on {issue.target}, last {formatTime(issue.lastSeen)}
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
