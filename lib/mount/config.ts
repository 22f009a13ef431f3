// The one typed configuration a host hands to createTroubleshooter(). Everything else the add-on
// reads (the README's variables: timeouts, LLM, alerts, target credentials...) can be given in
// `settings` by the same names, validated by the same schema as the standalone app's environment.
import { type Env, type EnvSource, parseEnv } from "../env";

/** The visitor as the host's own session knows them: an administrator of the add-on. */
export interface Principal {
  /** The host's user id, recorded in audit and decisions. */
  id: string;
  email: string | null;
  name?: string | null;
}

/** What `authorize()` answers: a principal (allowed), "forbidden" (signed in, not allowed: 403),
 * or null (nobody signed in: 401). */
export type Authorization = Principal | "forbidden" | null;

export interface TroubleshooterOptions {
  /** Where the host's optional catch-all page lives (default "/admin/troubleshooting"). */
  basePath?: string;
  /** Where the host's catch-all API route lives (default "/api/admin/bots"). */
  apiBasePath?: string;
  /** PostgreSQL URL of the add-on's own tables (schema "troubleshooter"); the host's database is fine. */
  databaseUrl: string;
  /** 32+ characters: seals queued runs' secrets. Not shared with the host's session secret. */
  secret: string;
  /** The public URL of the host app (links in alerts, same-origin checks). Default: the request's origin. */
  appUrl?: string;
  /** The platform to troubleshoot. Default: the host itself (appUrl) and the add-on's database. */
  target?: { baseUrl?: string; databaseUrl?: string; migrationsDir?: string };
  /** Who is asking, from the host's own session. Called for every API request and page render. */
  authorize: (request: { headers: Headers }) => Promise<Authorization>;
  /** Where the page sends a visitor nobody signed in (with ?callbackUrl=). Unset: a 401 page. */
  signInPath?: string;
  /** Any other README variable by name, e.g. { OPENAI_API_KEY: process.env.OPENAI_API_KEY }. */
  settings?: EnvSource;
}

export interface TroubleshooterConfig extends Env {
  basePath: string;
  apiBasePath: string;
  authorize: TroubleshooterOptions["authorize"];
  signInPath: string | null;
  /** Whether appUrl was configured (else the request's origin stands for it). */
  appUrlConfigured: boolean;
}

const trimSlash = (path: string) => `/${path.replace(/^\/+|\/+$/g, "")}`;

/**
 * Validates the options once. Throws EnvError naming each bad setting (never its value).
 * `databaseUrl` is reported as DATABASE_URL and `secret` as AUTH_SECRET: the names the README uses.
 */
export function resolveConfig(options: TroubleshooterOptions): TroubleshooterConfig {
  const settings = options.settings ?? {};
  const env = parseEnv({
    ...settings,
    DATABASE_URL: options.databaseUrl,
    AUTH_SECRET: options.secret,
    AUTH_URL: options.appUrl ?? settings.AUTH_URL,
    TARGET_BASE_URL: options.target?.baseUrl ?? settings.TARGET_BASE_URL,
    TARGET_DATABASE_URL: options.target?.databaseUrl ?? settings.TARGET_DATABASE_URL,
    TARGET_MIGRATIONS_DIR: options.target?.migrationsDir ?? settings.TARGET_MIGRATIONS_DIR,
  });
  return {
    ...env,
    basePath: trimSlash(options.basePath ?? "/admin/troubleshooting"),
    apiBasePath: trimSlash(options.apiBasePath ?? "/api/admin/bots"),
    authorize: options.authorize,
    signInPath: options.signInPath ?? null,
    appUrlConfigured: Boolean(options.appUrl ?? settings.AUTH_URL),
  };
}
