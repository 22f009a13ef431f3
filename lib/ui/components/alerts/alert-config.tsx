import type { ReactNode } from "react";
import type { DeploymentCron, TargetSchedule } from "../../../monitoring/alerts/schedules";
import { describeCron } from "../../../monitoring/alerts/schedules";
import { PageLink } from "../../paths";
import { formatTime } from "../run/labels";

export function Card({ title, testId, children }: { title: string; testId: string; children: ReactNode }) {
  return (
    <section className="tr-card tr:min-w-0 tr:p-4" aria-labelledby={`${testId}-title`} data-testid={testId}>
      <h2 id={`${testId}-title`} className="tr:mb-2 tr:text-sm tr:font-semibold">
        {title}
      </h2>
      {children}
    </section>
  );
}

/** A definition list of settings: what it is, its value, and the variable that sets it. */
function Settings({ rows }: { rows: { label: string; value: ReactNode; variable: string }[] }) {
  return (
    <dl className="tr:grid tr:gap-x-4 tr:gap-y-2 tr:text-sm tr:@lg:grid-cols-[minmax(0,1fr)_auto]">
      {rows.map((r) => (
        <div key={r.variable} className="tr:contents">
          <dt>
            {r.label}
            <code className="tr-muted tr:block tr:text-xs tr:break-words">{r.variable}</code>
          </dt>
          <dd className="tr:font-medium tr:tabular-nums tr:@lg:text-right">{r.value}</dd>
        </div>
      ))}
    </dl>
  );
}

/** The environment's webhook: read-only here (it is set where the app is deployed). */
export function EnvironmentWebhook({ webhook }: { webhook: { host: string; format: string } | null }) {
  return (
    <Card title="Environment webhook" testId="env-webhook">
      {webhook ? (
        <p className="tr:text-sm">
          {webhook.format === "generic" ? "Generic JSON" : "Slack"} to <span className="tr:font-mono tr:break-all">{webhook.host}</span>, from <code>ALERT_WEBHOOK_URL</code> (read-only; change it where the app is deployed). Gets every alert, except those of a stored target routed to its own channels.
        </p>
      ) : (
        <p className="tr-muted tr:text-sm">
          <code>ALERT_WEBHOOK_URL</code> is not set: alerts go to the channels below only, and are stored either way.
        </p>
      )}
    </Card>
  );
}

export interface Thresholds {
  scoreBelow: number;
  scoreDrop: number;
  approvalWaitMinutes: number;
  approvalExpiryMinutes: number;
  dedupeMinutes: number;
}

export function ThresholdsCard({ t }: { t: Thresholds }) {
  return (
    <Card title="Thresholds in force" testId="alert-thresholds">
      <Settings
        rows={[
          { label: "Alert when the health score is below", value: t.scoreBelow, variable: "ALERT_SCORE_BELOW" },
          { label: "Alert when the score drops by more than (points)", value: t.scoreDrop, variable: "ALERT_SCORE_DROP" },
          { label: "Alert when a fix waits for approval longer than", value: `${t.approvalWaitMinutes} min`, variable: "ALERT_APPROVAL_WAIT_MINUTES" },
          { label: "A pending approval expires after", value: `${t.approvalExpiryMinutes} min`, variable: "APPROVAL_EXPIRY_MINUTES" },
          { label: "The same alert is not re-sent within", value: t.dedupeMinutes === 0 ? "off" : `${t.dedupeMinutes} min`, variable: "ALERT_DEDUPE_MINUTES" },
        ]}
      />
      <p className="tr-muted tr:mt-2 tr:text-xs">Read-only: set by these environment variables (or a host&apos;s settings).</p>
    </Card>
  );
}

export function SchedulesCard({ crons, cronPath, cronSecretSet, targets }: { crons: DeploymentCron[] | null; cronPath: string; cronSecretSet: boolean; targets: TargetSchedule[] }) {
  return (
    <Card title="Schedules" testId="alert-schedules">
      <h3 className="tr:text-sm tr:font-medium">default (the configured target)</h3>
      <p className="tr:mb-3 tr:text-sm" data-testid="default-schedule">
        {crons === null
          ? `No vercel.json here: this page cannot see what calls ${cronPath} (a host's own scheduler may).`
          : crons.length === 0
            ? `vercel.json schedules no call to ${cronPath}: the default target runs only when started.`
            : crons.map((c) => `${describeCron(c.schedule)} (cron "${c.schedule}" in vercel.json)`).join("; ")}
        {crons && crons.length > 0 && !cronSecretSet ? " — but CRON_SECRET is not set, so the cron route refuses the call." : ""}
      </p>
      <h3 className="tr:text-sm tr:font-medium">Stored targets</h3>
      {targets.length === 0 ? (
        <p className="tr-muted tr:text-sm">No stored targets.</p>
      ) : (
        <div className="tr:overflow-x-auto" tabIndex={0} role="region" aria-label="Target schedules: table">
          <table className="tr:w-full tr:text-left tr:text-sm">
            <thead>
              <tr className="tr-muted tr:text-xs">
                <th scope="col" className="tr:pr-3 tr:font-medium">Target</th>
                <th scope="col" className="tr:pr-3 tr:font-medium">Every</th>
                <th scope="col" className="tr:pr-3 tr:font-medium">Next run</th>
              </tr>
            </thead>
            <tbody>
              {targets.map((t) => (
                <tr key={t.name} className="tr:border-t tr:border-black/5 tr:dark:border-white/10">
                  <td className="tr:py-1 tr:pr-3 tr:break-all">{t.name}</td>
                  <td className="tr:py-1 tr:pr-3 tr:whitespace-nowrap">{t.scheduleMinutes ? `${t.scheduleMinutes} min` : "not scheduled"}</td>
                  <td className="tr:py-1 tr:pr-3 tr:whitespace-nowrap">{t.scheduleMinutes && t.nextRunAt ? formatTime(t.nextRunAt) : "–"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <p className="tr:mt-2 tr:text-sm">
        <PageLink to="/targets" className="tr:text-indigo-700 tr:underline tr:dark:text-indigo-300">
          Edit targets, their schedules and alert routing
        </PageLink>
      </p>
    </Card>
  );
}
