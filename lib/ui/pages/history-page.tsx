import { RangeNav } from "../components/range-nav";
import { HistoryCharts } from "../components/history/history-charts";
import { RunsSection } from "../components/history/runs-section";
import { TargetPicker } from "../components/target-picker";
import type { PrismaClient } from "../../db";
import type { Env } from "../../env";
import { listTargetRefs, targetScope } from "../../targets/scope";
import { history, historyRangeSchema } from "../../troubleshooting/queries/history";

type Params = Record<string, string | string[] | undefined>;

/** The history of every target, or of the one `?target=<name>` names (its charts and deploys). */
export async function HistoryPage({ prisma, basePath, config, searchParams: params }: { prisma: PrismaClient; basePath: string; config: Pick<Env, "targetBaseUrl" | "targetDatabaseUrl">; searchParams: Params }) {
  const range = historyRangeSchema.catch("7d").parse(params.range);
  const name = typeof params.target === "string" && params.target ? params.target : undefined;
  const [targets, scope] = await Promise.all([listTargetRefs(prisma, config).catch(() => []), targetScope(prisma, config, name).catch(() => ({ target: null, unknown: true }))]);
  const data = scope.unknown ? null : await history(prisma, range, scope.target?.targetKey ?? null).catch(() => null);
  return (
    <div className="tr:space-y-6">
      <div className="tr:flex tr:flex-wrap tr:items-end tr:justify-between tr:gap-3">
        <h1 className="tr:text-lg tr:font-semibold">History{scope.target ? `: ${scope.target.name}` : ""}</h1>
        <div className="tr:flex tr:flex-wrap tr:items-end tr:gap-3">
          <TargetPicker targets={targets} current={scope.target?.name} keep={{ range }} />
          <RangeNav range={range} />
        </div>
      </div>
      {scope.unknown ? (
        <p className="tr-card tr:p-4 tr:text-sm tr:text-red-700 tr:dark:text-red-400" role="alert">
          There is no target named “{name}”. Choose one above.
        </p>
      ) : data ? (
        <HistoryCharts data={data} />
      ) : (
        <p className="tr-card tr:p-4 tr:text-sm tr:text-red-700 tr:dark:text-red-400">The history cannot be read while the database is unreachable.</p>
      )}
      {/* The page's own picker scopes this table too. */}
      <RunsSection prisma={prisma} action={`${basePath}/history`} searchParams={{ ...params, range }} targets={targets} picker={false} />
    </div>
  );
}
