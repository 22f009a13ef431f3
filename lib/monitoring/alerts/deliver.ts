// Delivery: one POST of JSON to the webhook, retried with exponential backoff while the failure
// may pass (5xx, 408, 429, network errors, timeouts); any other 4xx is final, as resending the
// same body cannot fix it. The webhook URL is a secret (a Slack URL grants posting), so it never
// appears in what is stored or logged: errors are described by status or error name only.
import { ExponentialBackoff, TaskCancelledError, TimeoutStrategy, handleAll, retry, timeout, wrap } from "cockatiel";
import type { PrismaClient } from "../../db";
import { logger } from "../logger";
import { scrubString } from "../redact";
import { destinationsFor } from "./routing";
import { runUrl, type AlertSettings, type DeliverySettings } from "./settings";

export interface AlertToSend {
  id: string;
  kind: string;
  severity: string;
  title: string;
  message: string;
  runId: string | null;
  createdAt: Date;
}

export interface DeliveryOutcome {
  ok: boolean;
  attempts: number;
  /** The receiver's last HTTP status; null when none answered (network error, timeout). */
  httpStatus: number | null;
  error: string | null;
}

const EMOJI: Record<string, string> = { critical: ":rotating_light:", warning: ":warning:" };
// Slack's mrkdwn treats these three as control characters.
const slackEscape = (text: string) => text.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;");

/** The body in the destination's format. `target`: the run's target name ("default" for the
 * configured one), named in the text so that a channel shared by several targets says which. */
export function webhookBody(alert: AlertToSend, settings: Pick<AlertSettings, "format" | "appUrl" | "basePath">, target: string | null = null): Record<string, unknown> {
  const url = alert.runId ? runUrl(settings, alert.runId) : null;
  if (settings.format === "generic") {
    const { kind, severity, title, message, runId } = alert;
    return { kind, severity, title, message, target, runId, runUrl: url, at: alert.createdAt.toISOString() };
  }
  const emoji = EMOJI[alert.severity] ?? ":information_source:";
  const link = url ? `\n<${url}|Open the run>` : "";
  const named = target ? `[${target}] ` : "";
  return {
    text: `${emoji} ${named}${alert.title}`, // what notifications show
    blocks: [{ type: "section", text: { type: "mrkdwn", text: `${emoji} ${slackEscape(named)}*${slackEscape(alert.title)}*\n${slackEscape(alert.message)}${link}` } }],
  };
}

class RetryableStatus extends Error {
  constructor(readonly status: number) {
    super(`HTTP ${status}`);
    this.name = "RetryableStatus";
  }
}

const retryable = (status: number) => status >= 500 || status === 408 || status === 429;

/** A short description without the URL: "HTTP 500", "timeout after 5000 ms", "network error (ECONNREFUSED)". */
function describe(err: unknown, timeoutMs: number): string {
  if (err instanceof RetryableStatus) return err.message;
  if (err instanceof TaskCancelledError) return `timeout after ${timeoutMs} ms`;
  const code = (err as { cause?: { code?: unknown } })?.cause?.code ?? (err as { code?: unknown })?.code;
  if (typeof code === "string" && /^[A-Z0-9_]+$/.test(code)) return `network error (${code})`;
  return scrubString(err instanceof Error ? err.name : "error").slice(0, 100);
}

export async function postWebhook(url: string, body: unknown, delivery: DeliverySettings): Promise<DeliveryOutcome> {
  let attempts = 0;
  let httpStatus: number | null = null;
  const policy = wrap(
    retry(handleAll, {
      maxAttempts: Math.max(0, delivery.attempts - 1), // cockatiel counts retries, not attempts
      backoff: new ExponentialBackoff({ initialDelay: delivery.initialDelayMs, maxDelay: delivery.maxDelayMs }),
    }),
    timeout(delivery.timeoutMs, TimeoutStrategy.Aggressive),
  );
  try {
    const status = await policy.execute(async ({ signal }) => {
      attempts += 1;
      const res = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body), signal });
      await res.body?.cancel().catch(() => undefined); // the answer's body is not needed; free the socket
      httpStatus = res.status;
      if (retryable(res.status)) throw new RetryableStatus(res.status);
      return res.status;
    });
    return status >= 200 && status < 300 ? { ok: true, attempts, httpStatus, error: null } : { ok: false, attempts, httpStatus, error: `HTTP ${status}` };
  } catch (err) {
    // A timeout or network error on the last attempt: no status from it (an earlier 5xx is not this outcome).
    return { ok: false, attempts, httpStatus: err instanceof RetryableStatus ? err.status : null, error: describe(err, delivery.timeoutMs) };
  }
}

/** Sends a stored alert to its destinations (routing.ts), or marks it not_configured when it has
 * none, and records how each went (AlertDelivery) and overall (the alert's status: sent when every
 * destination took it; lastError names the failed ones when there were several). */
export async function deliverAlert(prisma: PrismaClient, alert: AlertToSend, settings: AlertSettings): Promise<DeliveryOutcome | null> {
  const { target, destinations } = await destinationsFor(prisma, alert, settings);
  if (destinations.length === 0) {
    await prisma.alert.update({ where: { id: alert.id }, data: { status: "not_configured" } });
    return null;
  }
  const outcomes = await Promise.all(
    destinations.map(async (d) => {
      const outcome: DeliveryOutcome = d.url === null
        ? { ok: false, attempts: 0, httpStatus: null, error: d.openError }
        : await postWebhook(d.url, webhookBody(alert, { ...settings, format: d.format }, target), settings.delivery);
      await prisma.alertDelivery.create({
        data: { alertId: alert.id, channelId: d.channelId, destination: d.name, host: d.host, status: outcome.ok ? "sent" : "failed", attempts: outcome.attempts, httpStatus: outcome.httpStatus, error: outcome.error },
      });
      return { d, outcome };
    }),
  );
  const failed = outcomes.filter((o) => !o.outcome.ok);
  const lastError = failed.length === 0 ? null : outcomes.length === 1 ? failed[0]!.outcome.error : failed.map((o) => `${o.d.name}: ${o.outcome.error}`).join("; ").slice(0, 500);
  const overall: DeliveryOutcome = {
    ok: failed.length === 0,
    attempts: Math.max(...outcomes.map((o) => o.outcome.attempts)),
    httpStatus: outcomes.length === 1 ? outcomes[0]!.outcome.httpStatus : null,
    error: lastError,
  };
  await prisma.alert.update({
    where: { id: alert.id },
    data: { status: overall.ok ? "sent" : "failed", attempts: overall.attempts, deliveredAt: overall.ok ? new Date() : null, lastError },
  });
  const line = { component: "alerts", alertId: alert.id, kind: alert.kind, target, destinations: outcomes.map((o) => ({ name: o.d.name, host: o.d.host, ok: o.outcome.ok, attempts: o.outcome.attempts, error: o.outcome.error })) };
  if (overall.ok) logger().info(line, "alert delivered");
  else logger().warn(line, "alert delivery failed");
  return overall;
}
