import { RangeNav } from "../components/range-nav";
import { HistoryCharts } from "../components/history/history-charts";
import { RunsSection } from "../components/history/runs-section";
import type { PrismaClient } from "../../db";
import { history, historyRangeSchema } from "../../troubleshooting/queries/history";

type Params = Record<string, string | string[] | undefined>;

export async function HistoryPage({ prisma, basePath, searchParams: params }: { prisma: PrismaClient; basePath: string; searchParams: Params }) {
  const range = historyRangeSchema.catch("7d").parse(params.range);
  const data = await history(prisma, range).catch(() => null);
  return (
    <div className="tr:space-y-6">
      <div className="tr:flex tr:flex-wrap tr:items-center tr:justify-between tr:gap-3">
        <h1 className="tr:text-lg tr:font-semibold">History</h1>
        <RangeNav range={range} />
      </div>
      {data ? <HistoryCharts data={data} /> : <p className="tr-card tr:p-4 tr:text-sm tr:text-red-700 tr:dark:text-red-400">The history cannot be read while the database is unreachable.</p>}
      <RunsSection prisma={prisma} action={`${basePath}/history`} searchParams={{ ...params, range }} />
    </div>
  );
}
