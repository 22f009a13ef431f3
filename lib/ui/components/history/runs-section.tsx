import { PageLink } from "../../paths";
import { RecentRuns } from "../recent-runs";
import { TargetPicker } from "../target-picker";
import { Pager, RunsFilter } from "./runs-filter";
import type { PrismaClient } from "../../../db";
import { type TargetRef, targetNames } from "../../../targets/scope";
import { listRunsSchema } from "../../../troubleshooting/runs/api-schemas";
import { listRuns } from "../../../troubleshooting/queries/runs";

type Params = Record<string, string | string[] | undefined>;

const FILTERS = ["status", "trigger", "domain", "severity", "target"] as const;

function NoRunsYet() {
  return (
    <span className="tr:flex tr:flex-wrap tr:items-center tr:gap-3">
      No runs yet.
      <PageLink className="tr-btn-primary" to="#start-run">
        Start a run
      </PageLink>
    </span>
  );
}

/** The filtered, paged table of runs (history and runs pages). `targets`: every target (default
 * first), for the target picker and each run's target name; absent: no picker, no names. */
export async function RunsSection({ prisma, action, searchParams, targets, picker = true }: { prisma: PrismaClient; action: string; searchParams: Params; targets?: TargetRef[]; picker?: boolean }) {
  const values = Object.fromEntries(Object.entries(searchParams).flatMap(([k, v]) => (typeof v === "string" && v ? [[k, v]] : []))) as Record<string, string>;
  const query = listRunsSchema.safeParse({ ...values, pageSize: 20 });
  if (!query.success) return <p className="tr-card tr:p-4 tr:text-sm tr:text-red-700 tr:dark:text-red-400">These filters are not valid: {query.error.issues.map((i) => i.path.join(".")).join(", ")}.</p>;
  const scope = query.data.target ? targets?.find((t) => t.name === query.data.target) : undefined;
  if (query.data.target && !scope) {
    return (
      <section className="tr:space-y-3">
        {targets && picker && <TargetPicker targets={targets} current={undefined} keep={{ range: values.range }} />}
        <p className="tr-card tr:p-4 tr:text-sm tr:text-red-700 tr:dark:text-red-400" role="alert">
          No target is named “{query.data.target}”: it may have been removed. Its runs are kept; choose “All targets” to see them.
        </p>
      </section>
    );
  }
  const result = await listRuns(prisma, { ...query.data, targetKey: scope?.targetKey }, targetNames(targets ?? [])).catch(() => null);
  // "No runs match" only when a filter narrowed the list; a page past the end is not a filter.
  const filtered = FILTERS.some((f) => values[f]);
  // The pager's links carry the filters, not the current page.
  const kept = Object.fromEntries(Object.entries(values).filter(([k]) => k !== "cursor" && k !== "page"));
  const count = result ? `${result.total}${result.totalCapped ? "+" : ""}` : "0";
  return (
    <section className="tr:space-y-3">
      {targets && picker && <TargetPicker targets={targets} current={scope?.name} keep={{ range: values.range, status: values.status, trigger: values.trigger, domain: values.domain, severity: values.severity }} />}
      <RunsFilter action={action} values={values} />
      <RecentRuns runs={result?.runs ?? null} title={scope ? `Runs on ${scope.name} (${count})` : `Runs (${count})`} empty={filtered ? "No runs match these filters." : <NoRunsYet />} />
      {result && <Pager action={action} values={kept} cursor={values.cursor} nextCursor={result.nextCursor} />}
    </section>
  );
}
