// Optional credentials for a target's protected endpoints (a session cookie or a bearer token
// from configuration). They are sent only to the origin they were configured for, and only
// over connections whose certificate verifies: a probe must never hand them to anyone else.
export interface Credentials {
  origin: string;
  cookie?: string;
  bearer?: string;
}

/** The headers that carry the credentials for `url`, or none when they do not belong there: only
 * the configured origin, and only over https (plain http would hand them to anyone on the path). */
export function credentialHeaders(credentials: Credentials | null | undefined, url: string): Record<string, string> {
  const parsed = new URL(url);
  if (!credentials || parsed.origin !== credentials.origin || parsed.protocol !== "https:") return {};
  return {
    ...(credentials.cookie ? { cookie: credentials.cookie } : {}),
    ...(credentials.bearer ? { authorization: `Bearer ${credentials.bearer}` } : {}),
  };
}

/** The configured credentials, bound to the configured target's origin (a run binds them to its
 * own base URL instead: createSiteProbe). */
export function credentialsFromEnv(config: { targetBaseUrl: string; TARGET_SESSION_COOKIE?: string; TARGET_BEARER_TOKEN?: string }): Credentials | null {
  if (!config.TARGET_SESSION_COOKIE && !config.TARGET_BEARER_TOKEN) return null;
  return { origin: new URL(config.targetBaseUrl).origin, cookie: config.TARGET_SESSION_COOKIE, bearer: config.TARGET_BEARER_TOKEN };
}

/** The credentials bound to the run's own base URL (a run may target another URL than
 * TARGET_BASE_URL, with --base-url or a run's target; the credentials configured for the platform
 * are then sent there, and only there). */
export function bindCredentials(credentials: Credentials | null | undefined, baseUrl: string): Credentials | null {
  return credentials ? { ...credentials, origin: new URL(baseUrl).origin } : null;
}
