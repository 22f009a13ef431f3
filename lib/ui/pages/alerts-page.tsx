// /alerts: where alerts go (the environment's webhook, read-only, and the channels an admin
// manages here), the thresholds and schedules in force (read-only, with the variables that set
// them), and the recent alerts with each destination's delivery.
import type { PrismaClient } from "../../db";
import type { TroubleshooterConfig } from "../../mount/config";
import { listChannels } from "../../monitoring/alerts/channels";
import { ALERT_KINDS } from "../../monitoring/alerts/rules";
import { deploymentCrons, targetSchedules } from "../../monitoring/alerts/schedules";
import { listAlerts } from "../../monitoring/alerts/store";
import { Card, EnvironmentWebhook, SchedulesCard, ThresholdsCard } from "../components/alerts/alert-config";
import { ChannelList } from "../components/alerts/channel-list";
import { RecentAlerts } from "../components/alerts/recent-alerts";

const hostOf = (url: string) => {
  try {
    return new URL(url).host;
  } catch {
    return "(unreadable URL)";
  }
};

export async function AlertsPage({ prisma, config }: { prisma: PrismaClient; config: TroubleshooterConfig }) {
  const cronPath = `${config.apiBasePath}/cron`;
  const data = await Promise.all([listChannels(prisma), listAlerts(prisma, { limit: 30 }), targetSchedules(prisma), deploymentCrons(cronPath)]).catch(() => null);
  const webhook = config.ALERT_WEBHOOK_URL ? { host: hostOf(config.ALERT_WEBHOOK_URL), format: config.ALERT_WEBHOOK_FORMAT } : null;
  return (
    <div className="tr:space-y-6">
      <h1 className="tr:text-lg tr:font-semibold">Alerts</h1>
      {data ? (
        <>
          <div className="tr:grid tr:gap-4 tr:@3xl:grid-cols-2 tr:[&>*]:min-w-0">
            <Card title="Channels" testId="alert-channels">
              <p className="tr-muted tr:mb-2 tr:text-xs">
                Every alert goes to ALERT_WEBHOOK_URL and to each enabled channel that takes its kind; a stored target with its own channels (set on the targets page) alerts only those.
              </p>
              <ChannelList
                kinds={ALERT_KINDS}
                channels={data[0].map((c) => ({ ...c, lastDelivery: c.lastDelivery && { ...c.lastDelivery, at: c.lastDelivery.at.toISOString() } }))}
              />
            </Card>
            <div className="tr:space-y-4">
              <EnvironmentWebhook webhook={webhook} />
              <ThresholdsCard
                t={{ scoreBelow: config.ALERT_SCORE_BELOW, scoreDrop: config.ALERT_SCORE_DROP, approvalWaitMinutes: config.ALERT_APPROVAL_WAIT_MINUTES, approvalExpiryMinutes: config.APPROVAL_EXPIRY_MINUTES, dedupeMinutes: config.ALERT_DEDUPE_MINUTES }}
              />
            </div>
          </div>
          <SchedulesCard crons={data[3]} cronPath={cronPath} cronSecretSet={Boolean(config.CRON_SECRET)} targets={data[2]} />
          <RecentAlerts alerts={data[1]} />
        </>
      ) : (
        <p className="tr-card tr:p-4 tr:text-sm tr:text-red-700 tr:dark:text-red-400">Alerts cannot be read while the add-on&apos;s database is unreachable.</p>
      )}
    </div>
  );
}
