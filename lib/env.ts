// All configuration, validated once with zod. A bad value stops start-up with one message that
// names the variable (never its value: some are secrets).
import { z } from "zod";
import { parseTrustedProxy } from "./auth/client-address";
import { isPathOnOrigin, isPostgresUrl, isSiteUrl } from "./url-rules";

const postgresUrl = z.string().trim().refine(isPostgresUrl, { message: "must be a postgres:// or postgresql:// URL with a host" });
const httpUrl = z
  .string()
  .trim()
  .refine((value) => /^https?:\/\//.test(value) && URL.canParse(value), { message: "must be an http(s) URL" });
const optional = <T extends z.ZodType>(schema: T) =>
  z.preprocess((value) => (value === "" ? undefined : value), schema.optional());
const flag = z.enum(["true", "false", "1", "0"]).transform((value) => value === "true" || value === "1");

/** The first administrator's account, when the operator chooses it (else one is generated). */
export const adminAccountSchema = z.object({
  ADMIN_EMAIL: optional(z.email("must be an e-mail address")),
  ADMIN_PASSWORD: optional(z.string().min(12, "must be at least 12 characters")),
});

const envSchema = z
  .object({
    ...adminAccountSchema.shape,
    NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
    PORT: z.coerce.number({ error: "must be a port number (1-65535)" }).int().min(1).max(65535).default(3000),
    DATABASE_URL: postgresUrl,
    AUTH_SECRET: z.string().min(32, "must be at least 32 characters (openssl rand -base64 32)"),
    AUTH_URL: optional(httpUrl),
    AUTH_GITHUB_ID: optional(z.string()),
    AUTH_GITHUB_SECRET: optional(z.string()),
    TARGET_BASE_URL: optional(z.string().trim().refine(isSiteUrl, { message: "must be an http(s) URL without a user name or password (TARGET_SESSION_COOKIE or TARGET_BEARER_TOKEN carry credentials)" })),
    BV_STUDIOS_BASE_URL: optional(httpUrl),
    TARGET_DATABASE_URL: optional(postgresUrl),
    /** The target's prisma/migrations folder, for the drift check. */
    TARGET_MIGRATIONS_DIR: optional(z.string()),
    OPENAI_API_KEY: optional(z.string()),
    OPENAI_MODEL: z.string().min(1).default("gpt-4o-mini"),
    OPENAI_BASE_URL: optional(httpUrl),
    LANGSMITH_TRACING: optional(flag),
    LANGSMITH_API_KEY: optional(z.string()),
    LANGSMITH_PROJECT: optional(z.string()),
    LANGSMITH_ENDPOINT: optional(httpUrl),
    /** Extra API endpoints the network bot samples: comma-separated paths or URLs, each with an
     * optional expected status (`/api/status=200`). They add to the preset's endpoints. */
    TARGET_ENDPOINTS: optional(z.string()).transform((value, ctx) => {
      const entries = (value ?? "").split(",").map((u) => u.trim()).filter(Boolean);
      return entries.map((entry) => {
        const match = /^(.*?)(?:=(\d{3}))?$/.exec(entry) as RegExpExecArray;
        const ref = match[1] ?? "";
        if (!isPathOnOrigin(ref) && !isSiteUrl(ref)) {
          ctx.addIssue({ code: "custom", message: "must be comma-separated paths or http(s) URLs (without a user name or password), each optionally =STATUS" });
        }
        return { ref, status: match[2] ? Number(match[2]) : undefined };
      });
    }),
    /** Which standard endpoints the network bot samples (see README). */
    TARGET_ENDPOINTS_PRESET: z.enum(["addon", "bv-studios", "none"]).default("addon"),
    /** Pages the web bot checks (comma-separated paths); default: the base URL and what it links to. */
    TARGET_PAGES: optional(z.string()).transform((value) => (value ?? "").split(",").map((p) => p.trim()).filter(Boolean)),
    TARGET_CRAWL_LIMIT: z.coerce.number().int().min(0).max(100).default(20),
    /** A PEM file of extra CA certificates the target's certificate may chain to. */
    TARGET_CA_FILE: optional(z.string()),
    /** Credentials for the target's protected endpoints (sent to the target's origin only). */
    TARGET_SESSION_COOKIE: optional(z.string()),
    TARGET_BEARER_TOKEN: optional(z.string()),
    /** The platform's on-demand revalidation endpoint and its secret (web.revalidate_paths). */
    TARGET_REVALIDATE_URL: optional(httpUrl),
    TARGET_REVALIDATE_SECRET: optional(z.string()),
    /** A Vercel deploy hook (web.redeploy) and API access (web.rollback_deployment). */
    VERCEL_DEPLOY_HOOK_URL: optional(httpUrl),
    VERCEL_TOKEN: optional(z.string()),
    VERCEL_PROJECT_ID: optional(z.string()),
    VERCEL_TEAM_ID: optional(z.string()),
    VERCEL_API_URL: httpUrl.default("https://api.vercel.com"),
    /** Vercel Cron's bearer secret for GET /api/admin/bots/cron (unset: the route answers 401). */
    CRON_SECRET: optional(z.string().min(16, "must be at least 16 characters")),
    /** A bearer token that may read GET /api/admin/bots/metrics besides an admin session. */
    METRICS_TOKEN: optional(z.string().min(16, "must be at least 16 characters")),
    /** Where alerts are POSTed (a Slack incoming webhook, or any URL taking JSON); unset: alerts are only stored. */
    ALERT_WEBHOOK_URL: optional(httpUrl),
    /** "slack" ({text, blocks}) or "generic" ({kind, severity, title, message, runId, ...}). */
    ALERT_WEBHOOK_FORMAT: z.enum(["slack", "generic"]).default("slack"),
    /** Alert when a completed run's health score is below this... */
    ALERT_SCORE_BELOW: z.coerce.number().int().min(0).max(100).default(50),
    /** ...or dropped by more than this many points since the previous completed run. */
    ALERT_SCORE_DROP: z.coerce.number().int().min(1).max(100).default(20),
    /** Alert when a fix action has waited for approval longer than this. */
    ALERT_APPROVAL_WAIT_MINUTES: z.coerce.number().int().min(1).default(30),
    /** A fix left waiting for approval this long is rejected as expired, and its run goes on
     * without it: no run waits (and holds its target) for ever. */
    APPROVAL_EXPIRY_MINUTES: z.coerce.number({ error: "must be a number of minutes (1-10080)" }).int().min(1).max(10_080).default(60),
    /** The same alert (same kind and subject) is not sent again within this window. */
    ALERT_DEDUPE_MINUTES: z.coerce.number().int().min(0).default(60),
    /** Ended runs (with their events, issues and actions), logs, errors, alerts and history older
     * than this many days are deleted, in batches (unset: kept forever). */
    RETENTION_DAYS: optional(z.coerce.number().int().min(1, "must be at least 1 day")),
    /** How many queued runs one `npm run worker` process executes at once. */
    WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(16).default(2),
    /** How many scheduled runs of stored targets (the fleet) execute at once, across every worker
     * and cron invocation sharing DATABASE_URL (lib/queue/fleet-slots.ts). */
    FLEET_CONCURRENCY: z.coerce.number({ error: "must be a number of runs (1-32)" }).int().min(1).max(32).default(2),
    /** A Chromium for the browser checks; default: the one @sparticuz/chromium ships. */
    CHROMIUM_PATH: optional(z.string()),
    DIAGNOSTIC_TIMEOUT_MS: z.coerce.number().int().min(100).default(30_000),
    CHECK_TIMEOUT_MS: z.coerce.number().int().min(100).default(10_000),
    FIX_TIMEOUT_MS: z.coerce.number().int().min(100).default(60_000),
    BREAKER_THRESHOLD: z.coerce.number().int().min(1).default(5),
    /** JSON: {"db.long_running_query": {"mediumSeconds": 30}} replaces documented check defaults. */
    CHECK_THRESHOLDS: optional(z.string())
      .transform((value, ctx) => {
        if (!value) return {};
        try {
          return JSON.parse(value) as unknown;
        } catch {
          ctx.addIssue({ code: "custom", message: "must be JSON" });
          return z.NEVER;
        }
      })
      .pipe(z.record(z.string(), z.record(z.string(), z.number()), "must map check codes to {threshold: number}")),
    LLM_TIMEOUT_MS: z.coerce.number().int().min(100).default(20_000),
    /** AI investigation (needs OPENAI_API_KEY): how many of the top-ranked issues it digs into (0: off). */
    INVESTIGATION_MAX_ISSUES: z.coerce.number().int().min(0).max(10).default(3),
    /** Tool calls per run, all issues together (refused beyond: the investigation concludes). */
    INVESTIGATION_MAX_TOOL_CALLS: z.coerce.number().int().min(1).max(100).default(12),
    /** Model tokens (input + output) per run; a call is not started once they are spent. */
    INVESTIGATION_MAX_TOKENS: z.coerce.number().int().min(1_000).max(2_000_000).default(60_000),
    /** Each tool call is abandoned after this long (ms) and recorded as an error. */
    INVESTIGATION_TOOL_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(5_000),
    /** A running run whose process has not beaten its heartbeat (every 10 s, or a quarter of this)
     * for this long is marked interrupted, and can be resumed from its checkpoint. */
    RUN_STALE_AFTER_SECONDS: z.coerce.number({ error: "must be a number of seconds (5-86400)" }).int().min(5).max(86_400).default(60),
    /** Which forwarding headers name the client (sign-in limits, audit): none, vercel, or the
     * proxies' addresses/CIDRs. Unset: vercel on Vercel (VERCEL=1), else none. */
    TRUSTED_PROXY: optional(z.string()),
    /** Set by Vercel on its deployments. */
    VERCEL: optional(z.string()),
    /** A session's sign-out and its user's role are re-read from the database at most this often
     * per server instance (0: on every request). */
    SESSION_RECHECK_SECONDS: z.coerce.number({ error: "must be a number of seconds (0-60)" }).int().min(0).max(60).default(60),
    LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  })
  .superRefine((env, ctx) => {
    if (Boolean(env.AUTH_GITHUB_ID) !== Boolean(env.AUTH_GITHUB_SECRET)) {
      ctx.addIssue({ code: "custom", path: ["AUTH_GITHUB_SECRET"], message: "AUTH_GITHUB_ID and AUTH_GITHUB_SECRET go together" });
    }
    if (Boolean(env.TARGET_REVALIDATE_URL) !== Boolean(env.TARGET_REVALIDATE_SECRET)) {
      ctx.addIssue({ code: "custom", path: ["TARGET_REVALIDATE_SECRET"], message: "TARGET_REVALIDATE_URL and TARGET_REVALIDATE_SECRET go together" });
    }
    if (Boolean(env.VERCEL_TOKEN) !== Boolean(env.VERCEL_PROJECT_ID)) {
      ctx.addIssue({ code: "custom", path: ["VERCEL_PROJECT_ID"], message: "VERCEL_TOKEN and VERCEL_PROJECT_ID go together" });
    }
    if (env.LANGSMITH_TRACING && !env.LANGSMITH_API_KEY) {
      ctx.addIssue({ code: "custom", path: ["LANGSMITH_API_KEY"], message: "is required when LANGSMITH_TRACING is on" });
    }
  })
  .transform((env, ctx) => {
    const trustedProxy = parseTrustedProxy(env.TRUSTED_PROXY ?? (env.VERCEL === "1" ? "vercel" : "none"));
    if ("error" in trustedProxy) {
      ctx.addIssue({ code: "custom", path: ["TRUSTED_PROXY"], message: trustedProxy.error });
      return z.NEVER;
    }
    const appUrl = (env.AUTH_URL ?? `http://localhost:${env.PORT}`).replace(/\/$/, "");
    return {
      ...env,
      appUrl,
      /** The platform under diagnosis (BV_STUDIOS_BASE_URL is the original system's name). */
      targetBaseUrl: (env.TARGET_BASE_URL ?? env.BV_STUDIOS_BASE_URL ?? appUrl).replace(/\/$/, ""),
      targetDatabaseUrl: env.TARGET_DATABASE_URL ?? env.DATABASE_URL,
      githubAuth: env.AUTH_GITHUB_ID && env.AUTH_GITHUB_SECRET ? { id: env.AUTH_GITHUB_ID, secret: env.AUTH_GITHUB_SECRET } : null,
      llmEnabled: Boolean(env.OPENAI_API_KEY),
      trustedProxy,
    };
  });

export type Env = z.output<typeof envSchema>;
export type EnvSource = Record<string, string | undefined>;

export class EnvError extends Error {
  constructor(readonly problems: { variable: string; message: string }[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  ${p.variable}: ${p.message}`).join("\n")}`);
    this.name = "EnvError";
  }
}

export function parseEnv(source: EnvSource): Env {
  return parseWith(envSchema, source);
}

/** Parses `source` with any schema of env variables, throwing EnvError on bad values. */
export function parseWith<S extends z.ZodType>(schema: S, source: EnvSource): z.output<S> {
  const result = schema.safeParse(source);
  if (result.success) return result.data;
  throw new EnvError(
    result.error.issues.map((issue) => {
      const variable = String(issue.path[0] ?? "environment");
      const missing = issue.code === "invalid_type" && !source[variable];
      return { variable, message: missing ? "is required" : issue.message };
    }),
  );
}

let cached: Env | undefined;

/** The process's configuration, parsed on first use. */
export function env(): Env {
  cached ??= parseEnv(process.env);
  return cached;
}
