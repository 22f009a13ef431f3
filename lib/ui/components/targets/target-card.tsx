import type { TargetRef } from "../../../targets/scope";
import type { TargetView } from "../../../targets/store";
import type { FleetRow } from "../../../troubleshooting/queries/fleet";
import type { ChannelOption } from "../../pages/targets-page";
import { PageLink } from "../../paths";
import { StatusText, formatTime } from "../run/labels";
import { DeleteTarget } from "./delete-target";
import { SECRET_LABELS } from "./secret-labels";
import { TargetForm } from "./target-form";

export type CardTarget = { kind: "default"; ref: TargetRef } | { kind: "stored"; view: TargetView };

/** "every 60 minutes" or "not scheduled". */
export function scheduleText(minutes: number | null): string {
  return minutes === null ? "not scheduled" : `every ${minutes} minutes`;
}

/** Where its alerts go: the chosen channels by name, or all of them (saying when there are none). */
function routingText(ids: string[], channels: ChannelOption[]): string {
  if (channels.length === 0) return "all channels (none configured yet)";
  if (ids.length === 0) return "all channels";
  return ids.map((id) => channels.find((c) => c.id === id)?.name ?? "(a removed channel)").join(", ");
}

/** One target: what it is, its latest run, and (stored ones) its edit and delete forms. */
export function TargetCard({ target, lastRun, channels }: { target: CardTarget; lastRun: FleetRow | null; channels: ChannelOption[] }) {
  const name = target.kind === "default" ? target.ref.name : target.view.name;
  const baseUrl = target.kind === "default" ? target.ref.baseUrl : target.view.baseUrl;
  const database = target.kind === "default" ? target.ref.database : target.view.database;
  return (
    <article className="tr-card tr:p-5" aria-label={`Target ${name}`} data-testid="target-card" data-target={name}>
      <header className="tr:flex tr:flex-wrap tr:items-baseline tr:justify-between tr:gap-2">
        <h2 className="tr:font-semibold tr:break-all">{name}</h2>
        {target.kind === "default" && <span className="tr-muted tr:text-sm">from the environment (TARGET_* settings), read-only</span>}
      </header>
      <dl className="tr:mt-3 tr:grid tr:grid-cols-1 tr:gap-x-4 tr:gap-y-1 tr:text-sm tr:@lg:grid-cols-[auto_1fr]">
        <dt className="tr-muted">Site</dt>
        <dd className="tr:break-all">{baseUrl}</dd>
        <dt className="tr-muted">Database</dt>
        <dd className="tr:break-all">{database}</dd>
        {target.kind === "stored" && (
          <>
            <dt className="tr-muted">Schedule</dt>
            <dd data-testid="target-schedule">{scheduleText(target.view.scheduleMinutes)}</dd>
            <dt className="tr-muted">Alerts</dt>
            <dd>{routingText(target.view.alertChannelIds, channels)}</dd>
            <dt className="tr-muted">Secrets</dt>
            <dd data-testid="target-secrets">
              {target.view.secretsUnreadable ? (
                <span className="tr:text-red-700 tr:dark:text-red-400">sealed with another AUTH_SECRET: set them again</span>
              ) : (
                <ul className="tr:flex tr:flex-wrap tr:gap-x-4">
                  {SECRET_LABELS.map(([key, label]) => (
                    <li key={key}>
                      {label}: <span className="tr:font-medium">{target.view.secrets[key] ? "stored" : "not set"}</span>
                    </li>
                  ))}
                </ul>
              )}
            </dd>
          </>
        )}
        <dt className="tr-muted">Latest run</dt>
        <dd data-testid="target-last-run">
          {lastRun?.latest ? (
            <>
              <StatusText status={lastRun.latest.status} /> <span className="tr-muted">{formatTime(lastRun.latest.startedAt)}</span>
              {lastRun.scored ? <> · last score {lastRun.scored.score}</> : <> · no completed run</>}
            </>
          ) : (
            <span className="tr-muted">never run</span>
          )}
        </dd>
      </dl>
      <div className="tr:mt-3 tr:flex tr:flex-wrap tr:items-start tr:gap-3">
        <PageLink className="tr-btn" to={`/runs?target=${encodeURIComponent(name)}`}>
          Runs on {name}
        </PageLink>
        {target.kind === "stored" && <DeleteTarget id={target.view.id} name={name} />}
      </div>
      {target.kind === "stored" && (
        <details className="tr:mt-3">
          <summary className="tr:cursor-pointer tr:text-sm tr:font-medium">Edit {name}</summary>
          <TargetForm channels={channels} target={target.view} />
        </details>
      )}
    </article>
  );
}
