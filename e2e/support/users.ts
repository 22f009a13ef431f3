// Accounts the e2e global setup creates in the test database.
export const ADMIN = { email: "admin@e2e.test", password: "e2e-admin-password-1" };
export const VIEWER = { email: "viewer@e2e.test", password: "e2e-viewer-password-1" };
/** A viewer that the login rate-limit test locks out (so no other spec's sign-in is affected). */
export const LOCKOUT = { email: "lockout@e2e.test", password: "e2e-lockout-password-1" };

/** The e2e app's AUTH_SECRET: the security spec signs an expired session with it. */
export const E2E_AUTH_SECRET = "e2e-auth-secret-".repeat(3);

/** Machine secrets the e2e app is configured with. */
export const E2E_CRON_SECRET = "e2e-cron-secret-0123456789";
export const E2E_METRICS_TOKEN = "e2e-metrics-token-0123456789";
/** Secrets that must never leave the server (e2e/secrets.spec.ts looks for them everywhere). */
export const E2E_TARGET_BEARER = "e2e-target-bearer-7f3a9c1d";
export const E2E_TARGET_COOKIE = "e2e-target-cookie-9b2c4e6f";
export const E2E_WEBHOOK_SECRET = "e2e-webhook-secret-4d1e8a2b";

/** The e2e app's SESSION_RECHECK_SECONDS: a revoked session or a demotion is seen within it. */
export const SESSION_RECHECK_SECONDS = 2;
