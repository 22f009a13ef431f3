// Alert thresholds and delivery settings. They come from env() in production; tests pass their
// own (a loopback receiver, a short backoff) so nothing depends on the process's environment.
import { env } from "../../env";

export type WebhookFormat = "slack" | "generic";

export interface DeliverySettings {
  /** Total attempts per alert, the first one included. */
  attempts: number;
  /** Per attempt: a webhook that hangs must not hold the after-run step for long. */
  timeoutMs: number;
  /** Exponential backoff between attempts (cockatiel adds jitter). */
  initialDelayMs: number;
  maxDelayMs: number;
}

export interface AlertSettings {
  /** Unset: alerts are stored as not_configured and nothing is sent. */
  webhookUrl: string | undefined;
  format: WebhookFormat;
  scoreBelow: number;
  scoreDrop: number;
  approvalWaitMinutes: number;
  dedupeMinutes: number;
  /** The dashboard's base URL, for links to the run. */
  appUrl: string;
  delivery: DeliverySettings;
}

export const DEFAULT_DELIVERY: DeliverySettings = { attempts: 4, timeoutMs: 5_000, initialDelayMs: 1_000, maxDelayMs: 10_000 };

export function alertSettingsFromEnv(): AlertSettings {
  const e = env();
  return {
    webhookUrl: e.ALERT_WEBHOOK_URL,
    format: e.ALERT_WEBHOOK_FORMAT,
    scoreBelow: e.ALERT_SCORE_BELOW,
    scoreDrop: e.ALERT_SCORE_DROP,
    approvalWaitMinutes: e.ALERT_APPROVAL_WAIT_MINUTES,
    dedupeMinutes: e.ALERT_DEDUPE_MINUTES,
    appUrl: e.appUrl,
    delivery: DEFAULT_DELIVERY,
  };
}

/** The run's page on the dashboard. */
export const runUrl = (settings: Pick<AlertSettings, "appUrl">, runId: string) =>
  `${settings.appUrl.replace(/\/$/, "")}/admin/troubleshooting/runs/${encodeURIComponent(runId)}`;
