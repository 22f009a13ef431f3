import type { CheckHistory, ProbeHistory } from "../../../troubleshooting/queries/check-history";
import { PERCENTILE_MIN_SAMPLES } from "../../../troubleshooting/queries/check-history";
import { PeriodTable } from "./period-table";
import { PercentileCell, availabilityText, percentileText } from "./percentile-cell";

const HEAD = ["URL", "Kind", "Available (answered of requests)", "p50", "p95", "p99"];

/** Each endpoint and page of the target: availability and time-to-first-byte percentiles over the
 * range (each with its sample size), and the same per day in a details table. */
export function ProbeTable({ probes, bucket }: { probes: ProbeHistory[]; bucket: CheckHistory["bucket"] }) {
  return (
    <section className="tr-card tr:p-4" aria-labelledby="probes-title" data-testid="probe-history">
      <h2 id="probes-title" className="tr:mb-1 tr:text-sm tr:font-semibold">
        Endpoints and pages
      </h2>
      <p className="tr-muted tr:mb-2 tr:text-xs">
        From every request the runs made: an endpoint is available when it answered below 500 (a 401 from a protected one is it working), a page when it answered below 400. Percentiles are of the
        time to first byte of available answers, leaving out requests made while the prober itself stalled; each needs enough of them (p50 {PERCENTILE_MIN_SAMPLES.p50}, p95 {PERCENTILE_MIN_SAMPLES.p95}, p99{" "}
        {PERCENTILE_MIN_SAMPLES.p99}).
      </p>
      {probes.length === 0 ? (
        <p className="tr-muted tr:text-sm">No endpoint or page was requested by a run of this target in this range.</p>
      ) : (
        <div className="tr:overflow-x-auto" tabIndex={0} role="region" aria-label="Endpoints and pages: table">
          <table className="tr:w-full tr:text-left tr:text-sm">
            <thead className="tr-table-head">
              <tr>
                {HEAD.map((h) => (
                  <th key={h} scope="col" className="tr:py-1 tr:pr-3 tr:font-medium">
                    {h}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {probes.map((p) => (
                <ProbeRow key={`${p.kind} ${p.url}`} probe={p} bucket={bucket} />
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function ProbeRow({ probe, bucket }: { probe: ProbeHistory; bucket: CheckHistory["bucket"] }) {
  return (
    <>
      <tr className="tr:border-t tr:border-slate-100 tr:align-top tr:dark:border-slate-800" data-testid="probe-row" data-kind={probe.kind} data-url={probe.url}>
        <th scope="row" className="tr:min-w-48 tr:max-w-96 tr:py-1 tr:pr-3 tr:text-left tr:font-normal tr:break-all">
          {probe.url}
        </th>
        <td className="tr:py-1 tr:pr-3">{probe.kind}</td>
        <td className="tr:py-1 tr:pr-3 tr:tabular-nums tr:whitespace-nowrap" data-testid="probe-availability">
          {availabilityText(probe.availability)}
        </td>
        <PercentileCell p={probe.p50} />
        <PercentileCell p={probe.p95} />
        <PercentileCell p={probe.p99} />
      </tr>
      <tr>
        <td colSpan={HEAD.length} className="tr:pb-2">
          <PeriodTable
            label={probe.url}
            summary={`Per ${bucket} (${probe.days.length})`}
            bucket={bucket}
            columns={["Available", "p50"]}
            rows={probe.days.map((d) => ({ day: d.day, cells: [availabilityText(d.availability), percentileText(d.p50)] }))}
          />
        </td>
      </tr>
    </>
  );
}
