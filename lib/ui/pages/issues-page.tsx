import { z } from "zod";
import type { PrismaClient } from "../../db";
import type { Env } from "../../env";
import { ISSUE_TABS, type IssueTab, cursorSchema, listIssueGroups } from "../../issues/queries";
import { listTargetRefs, targetScope } from "../../targets/scope";
import { IssueTabs } from "../components/issues/issue-tabs";
import { IssuesList } from "../components/issues/issues-list";
import { TargetPicker } from "../components/target-picker";
import { PageLink } from "../paths";

type Params = Record<string, string | string[] | undefined>;

const query = z.object({
  target: z.string().max(200).optional(),
  state: z.enum(ISSUE_TABS).catch("open").default("open"),
  cursor: cursorSchema.optional().catch(undefined),
});

const EMPTY: Record<IssueTab, string> = {
  open: "No open issues: nothing the runs found is waiting for anyone.",
  snoozed: "No snoozed issues.",
  ignored: "No ignored issues.",
  resolved: "No resolved issues yet.",
  regressions: "No regressions: no resolved issue has come back.",
};

/** Issues across runs, per target and state, most recently seen first (`?target=&state=&cursor=`). */
export async function IssuesPage({ prisma, config, searchParams }: { prisma: PrismaClient; config: Pick<Env, "targetBaseUrl" | "targetDatabaseUrl">; searchParams: Params }) {
  const values = Object.fromEntries(Object.entries(searchParams).flatMap(([k, v]) => (typeof v === "string" && v ? [[k, v]] : [])));
  const { target: name, state: tab, cursor } = query.parse(values);
  const [targets, scope] = await Promise.all([listTargetRefs(prisma, config), targetScope(prisma, config, name)]);
  const page = scope.unknown ? null : await listIssueGroups(prisma, { targetKey: scope.target?.targetKey ?? null, tab, cursor: cursor ?? null }).catch(() => undefined);
  const names = new Map(targets.map((t) => [t.targetKey, t.name]));
  const next = page?.nextCursor ? new URLSearchParams({ ...(name ? { target: name } : {}), ...(tab !== "open" ? { state: tab } : {}), cursor: page.nextCursor }).toString() : null;
  return (
    <div className="tr:space-y-4">
      <div className="tr:flex tr:flex-wrap tr:items-end tr:justify-between tr:gap-4">
        <div>
          <h1 className="tr:text-lg tr:font-semibold">Issues</h1>
          <p className="tr-muted tr:mt-1 tr:max-w-2xl tr:text-sm">
            The same problem (check and subject) on the same target across runs: when it was first and last seen, how many runs saw it, and what an admin decided.
          </p>
        </div>
        <TargetPicker targets={targets} current={name} keep={{ state: tab === "open" ? undefined : tab }} />
      </div>
      <IssueTabs current={tab} target={name} />
      {scope.unknown ? (
        <p className="tr-card tr:p-4 tr:text-sm" role="alert">
          There is no target named “{name}”.
        </p>
      ) : page === undefined ? (
        <p className="tr-card tr-muted tr:p-6 tr:text-sm">Issues cannot be listed while the database is unreachable.</p>
      ) : page && page.items.length === 0 ? (
        <p className="tr-card tr-muted tr:p-6 tr:text-sm" data-testid="issues-empty">
          {cursor ? "No more issues." : EMPTY[tab]}
        </p>
      ) : page ? (
        <>
          <IssuesList items={page.items} targetNames={names} title={`${tab[0]?.toUpperCase()}${tab.slice(1)} issues${scope.target ? ` on ${scope.target.name}` : ""}`} />
          {next && (
            <p>
              <PageLink className="tr-btn" to={`/issues?${next}`}>
                Older issues
              </PageLink>
            </p>
          )}
        </>
      ) : null}
    </div>
  );
}
