import type { Metadata } from "next";
import { RangeNav } from "../components/range-nav";
import { HistoryCharts } from "../components/history/history-charts";
import { RunsSection } from "../components/history/runs-section";
import { db } from "../../db";
import { history, historyRangeSchema } from "../../troubleshooting/queries/history";

export const metadata: Metadata = { title: "Troubleshooting history" };

type Params = Record<string, string | string[] | undefined>;

export default async function HistoryPage({ searchParams }: { searchParams: Promise<Params> }) {
  const params = await searchParams;
  const range = historyRangeSchema.catch("7d").parse(params.range);
  const data = await history(db(), range).catch(() => null);
  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <h1 className="text-lg font-semibold">History</h1>
        <RangeNav range={range} />
      </div>
      {data ? <HistoryCharts data={data} /> : <p className="card p-4 text-sm text-red-700 dark:text-red-400">The history cannot be read while the database is unreachable.</p>}
      <RunsSection action="/admin/troubleshooting/history" searchParams={{ ...params, range }} />
    </div>
  );
}
