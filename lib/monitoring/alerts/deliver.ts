// Delivery: one POST of JSON to the webhook, retried with exponential backoff while the failure
// may pass (5xx, 408, 429, network errors, timeouts); any other 4xx is final, as resending the
// same body cannot fix it. The webhook URL is a secret (a Slack URL grants posting), so it never
// appears in what is stored or logged: errors are described by status or error name only.
import { ExponentialBackoff, TaskCancelledError, TimeoutStrategy, handleAll, retry, timeout, wrap } from "cockatiel";
import type { PrismaClient } from "../../db";
import { logger } from "../logger";
import { scrubString } from "../redact";
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
  error: string | null;
}

const EMOJI: Record<string, string> = { critical: ":rotating_light:", warning: ":warning:" };
// Slack's mrkdwn treats these three as control characters.
const slackEscape = (text: string) => text.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;");

export function webhookBody(alert: AlertToSend, settings: Pick<AlertSettings, "format" | "appUrl" | "basePath">): Record<string, unknown> {
  const url = alert.runId ? runUrl(settings, alert.runId) : null;
  if (settings.format === "generic") {
    const { kind, severity, title, message, runId } = alert;
    return { kind, severity, title, message, runId, runUrl: url, at: alert.createdAt.toISOString() };
  }
  const emoji = EMOJI[alert.severity] ?? ":information_source:";
  const link = url ? `\n<${url}|Open the run>` : "";
  return {
    text: `${emoji} ${alert.title}`, // what notifications show
    blocks: [{ type: "section", text: { type: "mrkdwn", text: `${emoji} *${slackEscape(alert.title)}*\n${slackEscape(alert.message)}${link}` } }],
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
      if (retryable(res.status)) throw new RetryableStatus(res.status);
      return res.status;
    });
    return status >= 200 && status < 300 ? { ok: true, attempts, error: null } : { ok: false, attempts, error: `HTTP ${status}` };
  } catch (err) {
    return { ok: false, attempts, error: describe(err, delivery.timeoutMs) };
  }
}

/** Sends a stored alert (or marks it not_configured) and records how that went. */
export async function deliverAlert(prisma: PrismaClient, alert: AlertToSend, settings: AlertSettings): Promise<DeliveryOutcome | null> {
  if (!settings.webhookUrl) {
    await prisma.alert.update({ where: { id: alert.id }, data: { status: "not_configured" } });
    return null;
  }
  const outcome = await postWebhook(settings.webhookUrl, webhookBody(alert, settings), settings.delivery);
  await prisma.alert.update({
    where: { id: alert.id },
    data: { status: outcome.ok ? "sent" : "failed", attempts: outcome.attempts, deliveredAt: outcome.ok ? new Date() : null, lastError: outcome.error },
  });
  const line = { component: "alerts", alertId: alert.id, kind: alert.kind, attempts: outcome.attempts, error: outcome.error };
  if (outcome.ok) logger().info(line, "alert delivered");
  else logger().warn(line, "alert delivery failed");
  return outcome;
}
