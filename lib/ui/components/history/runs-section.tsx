import { PageLink } from "../../paths";
import { RecentRuns } from "../recent-runs";
import { Pager, RunsFilter } from "./runs-filter";
import type { PrismaClient } from "../../../db";
import { listRunsSchema } from "../../../troubleshooting/runs/api-schemas";
import { listRuns } from "../../../troubleshooting/queries/runs";

type Params = Record<string, string | string[] | undefined>;

const FILTERS = ["status", "trigger", "domain", "severity"] as const;

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

/** The filtered, paged table of runs (history and runs pages). */
export async function RunsSection({ prisma, action, searchParams }: { prisma: PrismaClient; action: string; searchParams: Params }) {
  const values = Object.fromEntries(Object.entries(searchParams).flatMap(([k, v]) => (typeof v === "string" && v ? [[k, v]] : []))) as Record<string, string>;
  const query = listRunsSchema.safeParse({ ...values, pageSize: 20 });
  if (!query.success) return <p className="tr-card tr:p-4 tr:text-sm tr:text-red-700 tr:dark:text-red-400">These filters are not valid: {query.error.issues.map((i) => i.path.join(".")).join(", ")}.</p>;
  const result = await listRuns(prisma, query.data).catch(() => null);
  // "No runs match" only when a filter narrowed the list; a page past the end is not a filter.
  const filtered = FILTERS.some((f) => values[f]);
  return (
    <section className="tr:space-y-3">
      <RunsFilter action={action} values={values} />
      <RecentRuns runs={result?.runs ?? null} title={`Runs (${result?.total ?? 0})`} empty={filtered ? "No runs match these filters." : <NoRunsYet />} />
      {result && <Pager action={action} values={values} page={result.page} pages={Math.ceil(result.total / result.pageSize)} />}
    </section>
  );
}
