import type { AppHealth } from "../../health/app-health";

const TONE = { ok: "tr:bg-ok", degraded: "tr:bg-degraded", down: "tr:bg-down" } as const;

export function HealthSummary({ health }: { health: AppHealth }) {
  return (
    <section aria-label="Add-on health" className="tr:rounded-xl tr:border tr:border-slate-200 tr:dark:border-slate-800 tr:bg-white tr:dark:bg-slate-900 tr:p-6 tr:shadow-sm">
      <div className="tr:flex tr:items-center tr:gap-3">
        <span className={`tr:h-3 tr:w-3 tr:rounded-full ${TONE[health.status]}`} aria-hidden />
        <h2 className="tr:font-semibold">
          Add-on status: <span data-testid="health-status">{health.status}</span>
        </h2>
      </div>
      <dl className="tr:mt-4 tr:grid tr:grid-cols-2 tr:gap-4 tr:text-sm tr:@lg:grid-cols-4">
        <Item label="Version" value={health.version} />
        <Item label="Uptime" value={`${health.uptimeSeconds} s`} />
        <Item label="Database" value={health.database.reachable ? "reachable" : (health.database.error?.message ?? "unreachable")} />
        <Item label="DB latency" value={health.database.latencyMs === null ? "n/a" : `${health.database.latencyMs} ms`} />
      </dl>
    </section>
  );
}

function Item({ label, value }: { label: string; value: string }) {
  return (
    <div>
      <dt className="tr-muted">{label}</dt>
      <dd className="tr:mt-0.5 tr:font-medium">{value}</dd>
    </div>
  );
}
