import { RangeNav } from "../components/range-nav";
import { ErrorsChart } from "../components/monitoring/errors-chart";
import { AlertsList, ErrorPatterns, PerformanceTables, StatusPanel } from "../components/monitoring/monitoring-sections";
import type { PrismaClient } from "../../db";
import { monitoringOverview } from "../../monitoring/monitoring-page";
import type { StatusConfiguration } from "../../monitoring/status";
import { historyRangeSchema } from "../../troubleshooting/queries/history";

export async function MonitoringPage({ prisma, apiBasePath, configured, searchParams }: { prisma: PrismaClient; apiBasePath: string; configured: StatusConfiguration; searchParams: Record<string, string | string[] | undefined> }) {
  const range = historyRangeSchema.catch("7d").parse(searchParams.range);
  const data = await monitoringOverview(prisma, range, configured).catch(() => null);
  const exportHref = (format: string) => `${apiBasePath}/monitoring/export?format=${format}&from=${data?.since.toISOString() ?? ""}`;
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
          <div className="tr:grid tr:gap-4 tr:@3xl:grid-cols-2 tr:[&>*]:min-w-0">
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
