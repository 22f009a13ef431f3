import type { Percentile } from "../../../troubleshooting/queries/check-history";

/** A percentile in ms, or why it is not shown: "n too small (n = 7; needs 20)". */
export function percentileText(p: Percentile): string {
  return p.ms === null ? `n too small (n = ${p.n}; needs ${p.min})` : `${p.ms} ms`;
}

export function PercentileCell({ p }: { p: Percentile }) {
  return p.ms === null ? (
    <td className="tr-muted tr:min-w-28 tr:py-1 tr:pr-3 tr:text-xs" data-testid="percentile-too-few">
      {percentileText(p)}
    </td>
  ) : (
    <td className="tr:py-1 tr:pr-3 tr:tabular-nums tr:whitespace-nowrap">{percentileText(p)}</td>
  );
}

/** "99 of 100 (99.0 %)": availability with its sample. */
export function availabilityText(a: { ok: number; n: number }): string {
  return a.n === 0 ? "no samples" : `${a.ok} of ${a.n} (${((a.ok / a.n) * 100).toFixed(1)} %)`;
}
