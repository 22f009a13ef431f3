import type { Metadata } from "next";
import { RangeNav } from "../components/range-nav";
import { ErrorsChart } from "../components/monitoring/errors-chart";
import { AlertsList, ErrorPatterns, PerformanceTables, StatusPanel } from "../components/monitoring/monitoring-sections";
import { db } from "../../db";
import { monitoringOverview } from "../../monitoring/monitoring-page";
import { historyRangeSchema } from "../../troubleshooting/queries/history";

export const metadata: Metadata = { title: "Monitoring" };

export default async function MonitoringPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const range = historyRangeSchema.catch("7d").parse((await searchParams).range);
  const data = await monitoringOverview(db(), range).catch(() => null);
  const exportHref = (format: string) => `/api/admin/bots/monitoring/export?format=${format}&from=${data?.since.toISOString() ?? ""}`;
  return (
    <div className="tr:space-y-6">
      <div className="tr:flex tr:flex-wrap tr:items-center tr:justify-between tr:gap-3">
        <h1 className="tr:text-lg tr:font-semibold">Monitoring</h1>
        <RangeNav range={range}>
          <a className="tr-btn" href={exportHref("csv")} download>Export CSV</a>
          <a className="tr-btn" href={exportHref("json")} download>Export JSON</a>
        </RangeNav>
      </div>
      {data ? (
        <>
          <StatusPanel status={data.status} />
          <div className="tr:grid tr:gap-4 tr:lg:grid-cols-2">
            <ErrorsChart perDay={data.errors.perDay} />
            <AlertsList alerts={data.alerts} />
          </div>
          <ErrorPatterns errors={data.errors} />
          <PerformanceTables bots={data.bots} checks={data.checks} />
        </>
      ) : (
        <p className="tr-card tr:p-4 tr:text-sm tr:text-red-700 tr:dark:text-red-400">Monitoring data cannot be read while the database is unreachable.</p>
      )}
    </div>
  );
}
