// "Send test alert": one POST to one channel, now, so an admin sees whether the receiver takes it
// (its status code) or why not (the error, without the URL). One attempt, not the retries of a
// real alert: the admin waits for the answer, and a retried 500 would only delay the same verdict.
import type { PrismaClient } from "../../db";
import { type DeliveryOutcome, postWebhook, webhookBody } from "./deliver";
import { openChannelUrl } from "./channels";
import type { AlertSettings } from "./settings";

export interface TestAlertOutcome extends DeliveryOutcome {
  channel: { id: string; name: string; host: string };
}

/** Null when there is no such channel. `by`: the admin's email, named in the alert's text. */
export async function sendTestAlert(prisma: PrismaClient, channelId: string, by: string, settings: Pick<AlertSettings, "appUrl" | "basePath" | "delivery" | "secret">): Promise<TestAlertOutcome | null> {
  const channel = await prisma.alertChannel.findUnique({ where: { id: channelId }, select: { id: true, name: true, host: true, format: true, sealedUrl: true } });
  if (!channel) return null;
  let outcome: DeliveryOutcome;
  let url: string | null = null;
  try {
    if (!settings.secret) throw new Error("no AUTH_SECRET to open the channel's URL with");
    url = openChannelUrl(channel.sealedUrl, settings.secret);
  } catch (err) {
    outcome = { ok: false, attempts: 0, httpStatus: null, error: `not sent: ${err instanceof Error ? err.message : "the URL cannot be opened"}` };
  }
  if (url) {
    const alert = {
      id: "test", kind: "test", severity: "warning", runId: null, createdAt: new Date(),
      title: `Test alert for channel ${channel.name}`,
      message: `Sent by ${by} from the Troubleshooter alerts page. If you read this, alerts reach this channel.`,
    };
    const format = channel.format === "generic" ? "generic" : "slack";
    outcome = await postWebhook(url, webhookBody(alert, { ...settings, format }), { ...settings.delivery, attempts: 1 });
  }
  outcome ??= { ok: false, attempts: 0, httpStatus: null, error: "not sent" };
  await prisma.alertDelivery.create({
    data: { alertId: null, channelId: channel.id, destination: channel.name, host: channel.host, status: outcome.ok ? "sent" : "failed", attempts: outcome.attempts, httpStatus: outcome.httpStatus, error: outcome.error },
  });
  return { ...outcome, channel: { id: channel.id, name: channel.name, host: channel.host } };
}
