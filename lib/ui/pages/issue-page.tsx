import type { ReactNode } from "react";
import { z } from "zod";
import type { PrismaClient } from "../../db";
import type { Env } from "../../env";
import { cursorSchema, getIssueGroup } from "../../issues/queries";
import { listTargetRefs } from "../../targets/scope";
import type { Severity } from "../../troubleshooting/report";
import { IssueStateText, formatSeen, runsSeen } from "../components/issues/issue-state";
import { IssueStateControls } from "../components/issues/state-controls";
import { NotFoundView } from "../components/not-found-view";
import { ScrollRegion } from "../components/scroll-region";
import { SeverityBadge, StatusText, formatTime } from "../components/run/labels";
import { PageLink } from "../paths";

const idSchema = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/);
const cell = "tr:px-3 tr:py-2 tr:first:pl-5 tr:last:pr-5";

/** One issue across runs: what it is, when and how often it was seen, its state and who set it,
 * whether it appeared after a deploy, the runs that saw it, and the controls to change its state. */
export async function IssuePage({ prisma, config, issueId, searchParams }: { prisma: PrismaClient; config: Pick<Env, "targetBaseUrl" | "targetDatabaseUrl">; issueId: string; searchParams: Record<string, string | string[] | undefined> }) {
  if (!idSchema.safeParse(issueId).success) return <NotFoundView what="page" />;
  const cursor = cursorSchema.optional().catch(undefined).parse(typeof searchParams.cursor === "string" ? searchParams.cursor : undefined);
  const [issue, targets] = await Promise.all([getIssueGroup(prisma, issueId, { cursor: cursor ?? null }), listTargetRefs(prisma, config)]);
  if (!issue) return <NotFoundView what="page" />;
  const target = targets.find((t) => t.targetKey === issue.targetKey);
  const facts: [string, ReactNode][] = [
    ["Target", target ? `${target.name} (${target.baseUrl})` : issue.targetKey],
    ["Check", <code key="c">{issue.code}</code>],
    ["Subject", issue.subject || "the check as a whole"],
    ["First seen", <PageLink key="f" className="tr:underline tr:underline-offset-2" to={`/runs/${issue.firstRunId}`}>{formatSeen(issue.firstSeenAt)}</PageLink>],
    ["Last seen", <PageLink key="l" className="tr:underline tr:underline-offset-2" to={`/runs/${issue.lastRunId}`}>{formatSeen(issue.lastSeenAt)}</PageLink>],
    ["Runs", runsSeen(issue.runCount)],
  ];
  return (
    <div className="tr:space-y-6">
      <div>
        <p className="tr:text-sm">
          <PageLink className="tr:underline tr:underline-offset-2" to="/issues">
            ← Issues
          </PageLink>
        </p>
        <h1 className="tr:mt-2 tr:flex tr:flex-wrap tr:items-center tr:gap-2 tr:text-lg tr:font-semibold">
          <SeverityBadge severity={issue.severity as Severity} />
          <span className="tr:break-words">{issue.title}</span>
        </h1>
        <p className="tr:mt-1 tr:text-sm" data-testid="issue-detail-state">
          <IssueStateText state={issue.state} regression={issue.regression} snoozedUntil={issue.snoozedUntil} />
          {issue.stateBy && issue.stateAt && <span className="tr-muted"> · set by {issue.stateBy} at {formatTime(issue.stateAt)}</span>}
        </p>
        {issue.ignoredReason && <p className="tr:mt-1 tr:text-sm">Ignored: {issue.ignoredReason}</p>}
        {issue.regression && issue.regressedAt && (
          <p className="tr:mt-1 tr:text-sm">
            Came back at {formatTime(issue.regressedAt)} after it was resolved ({issue.regressions} time{issue.regressions === 1 ? "" : "s"} so far).
          </p>
        )}
        {issue.sinceDeploy && (
          <p className="tr:mt-1 tr:text-sm" data-testid="since-deploy">
            First seen after deploy <code>{issue.sinceDeploy}</code> (the run before served <code>{issue.previousBuildId}</code>).
          </p>
        )}
      </div>
      <section className="tr-card tr:p-5" aria-label="About this issue">
        <dl className="tr:grid tr:grid-cols-1 tr:gap-x-6 tr:gap-y-2 tr:text-sm tr:@xl:grid-cols-[max-content_1fr]">
          {facts.map(([term, value]) => (
            <div key={term} className="tr:contents">
              <dt className="tr-muted">{term}</dt>
              <dd className="tr:mb-2 tr:break-all tr:@xl:mb-0" data-testid={term === "Runs" ? "runs-seen" : undefined}>
                {value}
              </dd>
            </div>
          ))}
        </dl>
      </section>
      <IssueStateControls issueId={issue.id} state={issue.state} />
      <section className="tr-card" aria-label="Runs that saw it">
        <h2 className="tr-card-title">Runs that saw it</h2>
        <ScrollRegion label="Runs that saw it, table">
          <table className="tr:w-full tr:text-sm">
            <thead className="tr-table-head">
              <tr>
                {["Run started", "Found at", "Severity", "In that run"].map((h) => (
                  <th key={h} scope="col" className={`${cell} tr:font-medium`}>
                    {h}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {issue.sightings.map((s) => (
                <tr key={s.issueId} className="tr:border-t tr:border-slate-100 tr:dark:border-slate-800" data-testid="sighting-row">
                  <td className={`${cell} tr:whitespace-nowrap`}>
                    <PageLink className="tr:underline tr:underline-offset-2" to={`/runs/${s.runId}#issue-${s.issueId}`}>
                      {formatSeen(s.runStartedAt)}
                    </PageLink>
                  </td>
                  <td className={`${cell} tr:whitespace-nowrap`}>{formatSeen(s.at)}</td>
                  <td className={cell}>
                    <SeverityBadge severity={s.severity as Severity} />
                  </td>
                  <td className={cell}>
                    <StatusText status={s.status} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollRegion>
        {issue.nextCursor && (
          <p className="tr:px-5 tr:py-3">
            <PageLink className="tr-btn" to={`/issues/${issue.id}?cursor=${issue.nextCursor}`}>
              Older runs
            </PageLink>
          </p>
        )}
      </section>
    </div>
  );
}
