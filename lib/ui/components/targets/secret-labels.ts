import type { SecretsPresence } from "../../../targets/secrets";

/** The secrets a target may store, in the order forms list them. */
export const SECRET_LABELS: readonly [keyof SecretsPresence, string][] = [
  ["databasePassword", "Database password"],
  ["sessionCookie", "Session cookie"],
  ["bearerToken", "Bearer token"],
  ["vercelToken", "Vercel token"],
];
