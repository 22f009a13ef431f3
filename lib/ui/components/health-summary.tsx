import type { AppHealth } from "../../health/app-health";

const TONE = { ok: "bg-ok", degraded: "bg-degraded", down: "bg-down" } as const;

export function HealthSummary({ health }: { health: AppHealth }) {
  return (
    <section aria-label="Add-on health" className="rounded-xl border border-slate-200 dark:border-slate-800 bg-white dark:bg-slate-900 p-6 shadow-sm">
      <div className="flex items-center gap-3">
        <span className={`h-3 w-3 rounded-full ${TONE[health.status]}`} aria-hidden />
        <h2 className="font-semibold">
          Add-on status: <span data-testid="health-status">{health.status}</span>
        </h2>
      </div>
      <dl className="mt-4 grid grid-cols-2 gap-4 text-sm sm:grid-cols-4">
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
      <dt className="text-slate-500">{label}</dt>
      <dd className="mt-0.5 font-medium">{value}</dd>
    </div>
  );
}
