import type { AlertListItem } from "../../../monitoring/alerts/store";
import { PageLink } from "../../paths";
import { formatTime } from "../run/labels";
import { Card } from "./alert-config";

const STATUS_STYLE: Record<string, string> = {
  sent: "tr:text-green-700 tr:dark:text-green-300",
  failed: "tr:text-red-700 tr:dark:text-red-300",
};

/** Each destination's outcome: "ops (hooks.slack.com): sent (200)". */
function Deliveries({ alert }: { alert: AlertListItem }) {
  if (alert.status === "not_configured") return <span className="tr-muted">not sent: no webhook or channel for it</span>;
  if (alert.deliveries.length === 0) {
    // Alerts from before per-destination records: the overall outcome only.
    return <span className={STATUS_STYLE[alert.status] ?? ""}>{alert.status.replaceAll("_", " ")}{alert.lastError ? `: ${alert.lastError}` : ""}</span>;
  }
  return (
    <ul className="tr:space-y-0.5" aria-label="Deliveries">
      {alert.deliveries.map((d) => (
        <li key={d.destination}>
          <span className="tr:break-all">{d.destination}</span> <span className="tr-muted tr:break-all">({d.host})</span>:{" "}
          <span className={STATUS_STYLE[d.status] ?? ""}>
            {d.status}
            {d.status === "sent" ? ` (${d.httpStatus ?? "2xx"})` : ` (${d.error ?? "no answer"})`}
          </span>
          {d.attempts > 1 ? <span className="tr-muted"> after {d.attempts} attempts</span> : null}
        </li>
      ))}
    </ul>
  );
}

export function RecentAlerts({ alerts }: { alerts: AlertListItem[] }) {
  return (
    <Card title="Recent alerts" testId="recent-alerts">
      {alerts.length === 0 ? (
        <p className="tr-muted tr:text-sm">No alerts raised.</p>
      ) : (
        <div className="tr:overflow-x-auto" tabIndex={0} role="region" aria-label="Recent alerts: table">
          <table className="tr:w-full tr:text-left tr:text-sm">
            <thead>
              <tr className="tr-muted tr:text-xs">
                {["Raised", "Alert", "Delivery", "Repeats"].map((h) => (
                  <th key={h} scope="col" className="tr:pr-3 tr:font-medium">{h}</th>
                ))}
              </tr>
            </thead>
            <tbody>
              {alerts.map((a) => (
                <tr key={a.id} className="tr:border-t tr:border-black/5 tr:align-top tr:dark:border-white/10">
                  <td className="tr:py-1 tr:pr-3 tr:whitespace-nowrap">{formatTime(a.createdAt)}</td>
                  <td className="tr:min-w-48 tr:py-1 tr:pr-3">
                    <span className="tr:block tr:text-xs tr:uppercase tr:tracking-wide">{a.severity} · {a.kind.replaceAll("_", " ")}</span>
                    {a.runId ? <PageLink to={`/runs/${a.runId}`} className="tr:underline">{a.title}</PageLink> : a.title}
                    <span className="tr-muted tr:block tr:text-xs">{a.message}</span>
                  </td>
                  <td className="tr:min-w-56 tr:py-1 tr:pr-3 tr:text-xs">
                    <Deliveries alert={a} />
                  </td>
                  <td className="tr:py-1 tr:pr-3 tr:tabular-nums">{a.repeats}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Card>
  );
}
