// Alert thresholds and delivery settings. They come from the add-on's configuration; tests pass
// their own (a loopback receiver, a short backoff) so nothing depends on the process's environment.
import type { Env } from "../../env";

type WebhookFormat = "slack" | "generic";

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
  /** When a pending approval expires (APPROVAL_EXPIRY_MINUTES; default 60): its alert says so,
   * and comes before. */
  approvalExpiryMinutes?: number;
  dedupeMinutes: number;
  /** The dashboard's base URL, for links to the run. */
  appUrl: string;
  /** Where the add-on's pages are mounted under appUrl. */
  basePath: string;
  delivery: DeliverySettings;
  /** The add-on's secret (AUTH_SECRET), to open the channels' sealed URLs; unset: channels are
   * recorded as not sent. */
  secret?: string;
}

export const DEFAULT_DELIVERY: DeliverySettings = { attempts: 4, timeoutMs: 5_000, initialDelayMs: 1_000, maxDelayMs: 10_000 };

/** From a validated configuration (a host's createTroubleshooter options, or the environment). */
export function alertSettingsFrom(e: Pick<Env, "ALERT_WEBHOOK_URL" | "ALERT_WEBHOOK_FORMAT" | "ALERT_SCORE_BELOW" | "ALERT_SCORE_DROP" | "ALERT_APPROVAL_WAIT_MINUTES" | "APPROVAL_EXPIRY_MINUTES" | "ALERT_DEDUPE_MINUTES" | "appUrl"> & Partial<Pick<Env, "AUTH_SECRET">>, basePath = "/admin/troubleshooting"): AlertSettings {
  return {
    basePath,
    webhookUrl: e.ALERT_WEBHOOK_URL,
    format: e.ALERT_WEBHOOK_FORMAT,
    scoreBelow: e.ALERT_SCORE_BELOW,
    scoreDrop: e.ALERT_SCORE_DROP,
    approvalWaitMinutes: e.ALERT_APPROVAL_WAIT_MINUTES,
    approvalExpiryMinutes: e.APPROVAL_EXPIRY_MINUTES,
    dedupeMinutes: e.ALERT_DEDUPE_MINUTES,
    appUrl: e.appUrl,
    delivery: DEFAULT_DELIVERY,
    secret: e.AUTH_SECRET,
  };
}

/** The run's page on the dashboard. */
export const runUrl = (settings: Pick<AlertSettings, "appUrl" | "basePath">, runId: string) =>
  `${settings.appUrl.replace(/\/$/, "")}${settings.basePath}/runs/${encodeURIComponent(runId)}`;

/** Defaults with no webhook: alerts are stored and listed, never sent (engines built without a
 * configuration, such as tests'). */
export const STORED_ONLY_ALERTS: AlertSettings = {
  webhookUrl: undefined,
  format: "slack",
  scoreBelow: 50,
  scoreDrop: 20,
  approvalWaitMinutes: 30,
  approvalExpiryMinutes: 60,
  dedupeMinutes: 60,
  appUrl: "http://localhost:3000",
  basePath: "/admin/troubleshooting",
  delivery: DEFAULT_DELIVERY,
};
