// Where an alert goes. The environment's ALERT_WEBHOOK_URL (as before) and every enabled channel
// whose kinds include the alert's; but when the alert's run is on a stored target whose
// alertChannelIds is not empty, only those channels (enabled, kind included), and not the
// environment's webhook: an admin who routes a staging target to its own channel does not want
// production's pager to ring for it.
import type { PrismaClient } from "../../db";
import { openChannelUrl } from "./channels";
import type { AlertSettings } from "./settings";

type Format = AlertSettings["format"];

/** DEFAULT_TARGET_NAME of lib/targets/scope.ts, not imported: scope.ts reaches the run service,
 * which reaches the alerts (an import cycle). */
const DEFAULT_TARGET_NAME = "default";

/** One place to POST to. `url` is null (and `openError` says why) when the sealed URL cannot be
 * opened: the delivery is recorded as failed rather than silently skipped. */
export type Destination =
  | { channelId: string | null; name: string; host: string; format: Format; url: string; openError?: undefined }
  | { channelId: string; name: string; host: string; format: Format; url: null; openError: string };

/** The environment's webhook, as destinations and pages name it. */
export const ENV_DESTINATION = "ALERT_WEBHOOK_URL";

const hostOf = (url: string) => {
  try {
    return new URL(url).host;
  } catch {
    return "(unreadable URL)";
  }
};

/** `target`: the alert's target name ("default" for the configured one; null when the alert has
 * no run, or its run is gone). */
export async function destinationsFor(
  prisma: PrismaClient,
  alert: { kind: string; runId: string | null },
  settings: Pick<AlertSettings, "webhookUrl" | "format" | "secret">,
): Promise<{ target: string | null; destinations: Destination[] }> {
  const run = alert.runId ? await prisma.troubleshootingRun.findUnique({ where: { id: alert.runId }, select: { targetId: true } }) : null;
  const stored = run?.targetId ? await prisma.target.findUnique({ where: { id: run.targetId }, select: { name: true, alertChannelIds: true } }) : null;
  const target = stored?.name ?? (run ? DEFAULT_TARGET_NAME : null);
  const routed = stored && stored.alertChannelIds.length > 0 ? stored.alertChannelIds : null;

  const channels = await prisma.alertChannel.findMany({
    where: { enabled: true, ...(routed ? { id: { in: routed } } : {}), OR: [{ kinds: { isEmpty: true } }, { kinds: { has: alert.kind } }] },
    orderBy: { name: "asc" },
    select: { id: true, name: true, host: true, format: true, sealedUrl: true },
  });
  const destinations: Destination[] = [];
  if (!routed && settings.webhookUrl) destinations.push({ channelId: null, name: ENV_DESTINATION, host: hostOf(settings.webhookUrl), format: settings.format, url: settings.webhookUrl });
  for (const c of channels) {
    const format: Format = c.format === "generic" ? "generic" : "slack";
    const base = { channelId: c.id, name: c.name, host: c.host, format };
    if (!settings.secret) {
      destinations.push({ ...base, url: null, openError: "not sent: no AUTH_SECRET to open the channel's URL with" });
      continue;
    }
    try {
      destinations.push({ ...base, url: openChannelUrl(c.sealedUrl, settings.secret) });
    } catch (err) {
      destinations.push({ ...base, url: null, openError: `not sent: ${err instanceof Error ? err.message : "the URL cannot be opened"}` });
    }
  }
  return { target, destinations };
}
