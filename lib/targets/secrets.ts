// A stored target's secrets (its database password, the session cookie or bearer token its
// protected endpoints need, a Vercel token) are kept together in one sealed value: AES-256-GCM,
// with a key derived from the add-on's secret (AUTH_SECRET, a host's `secret`) for this purpose
// only. No API, page, log or export ever returns them; forms show only which ones are set.
import { z } from "zod";
import { SealError, open, seal } from "../crypto/seal";

export const targetSecretsSchema = z.object({
  databasePassword: z.string().optional(),
  sessionCookie: z.string().optional(),
  bearerToken: z.string().optional(),
  vercelToken: z.string().optional(),
});
export type TargetSecrets = z.infer<typeof targetSecretsSchema>;

/** Which secrets are set, for forms and API answers (never the values). */
export type SecretsPresence = { [K in keyof TargetSecrets]-?: boolean };

/** "iv.ciphertext.tag" (base64url), or null when there is nothing to seal. */
export function sealTargetSecrets(secrets: TargetSecrets, secret: string): string | null {
  const present = Object.fromEntries(Object.entries(secrets).filter(([, v]) => typeof v === "string" && v !== ""));
  if (Object.keys(present).length === 0) return null;
  return seal(JSON.stringify(present), secret, "target-secrets");
}

/** The secrets back. Throws (without any part of the value) when the seal was made with another
 * secret or was altered. */
export function openTargetSecrets(sealed: string | null | undefined, secret: string): TargetSecrets {
  if (!sealed) return {};
  let plain: string;
  try {
    plain = open(sealed, secret, "target-secrets");
  } catch (err) {
    if (err instanceof SealError && err.reason === "malformed") throw new Error("the target's sealed secrets are malformed");
    throw new Error("the target's secrets were sealed with another AUTH_SECRET, or altered");
  }
  return targetSecretsSchema.parse(JSON.parse(plain));
}

export function secretsPresence(secrets: TargetSecrets): SecretsPresence {
  return { databasePassword: Boolean(secrets.databasePassword), sessionCookie: Boolean(secrets.sessionCookie), bearerToken: Boolean(secrets.bearerToken), vercelToken: Boolean(secrets.vercelToken) };
}
