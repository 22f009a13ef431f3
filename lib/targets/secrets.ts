// A stored target's secrets (its database password, the session cookie or bearer token its
// protected endpoints need, a Vercel token) are kept together in one sealed value: AES-256-GCM,
// with a key derived from the add-on's secret (AUTH_SECRET, a host's `secret`) for this purpose
// only. No API, page, log or export ever returns them; forms show only which ones are set.
import { createCipheriv, createDecipheriv, createHash, randomBytes } from "node:crypto";
import { z } from "zod";

export const targetSecretsSchema = z.object({
  databasePassword: z.string().optional(),
  sessionCookie: z.string().optional(),
  bearerToken: z.string().optional(),
  vercelToken: z.string().optional(),
});
export type TargetSecrets = z.infer<typeof targetSecretsSchema>;

/** Which secrets are set, for forms and API answers (never the values). */
export type SecretsPresence = { [K in keyof TargetSecrets]-?: boolean };

const key = (secret: string) => createHash("sha256").update(`troubleshooter:target-secrets:${secret}`).digest();

/** "iv.ciphertext.tag" (base64url), or null when there is nothing to seal. */
export function sealTargetSecrets(secrets: TargetSecrets, secret: string): string | null {
  const present = Object.fromEntries(Object.entries(secrets).filter(([, v]) => typeof v === "string" && v !== ""));
  if (Object.keys(present).length === 0) return null;
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key(secret), iv);
  const sealed = Buffer.concat([cipher.update(JSON.stringify(present), "utf8"), cipher.final()]);
  return [iv, sealed, cipher.getAuthTag()].map((b) => b.toString("base64url")).join(".");
}

/** The secrets back. Throws (without any part of the value) when the seal was made with another
 * secret or was altered. */
export function openTargetSecrets(sealed: string | null | undefined, secret: string): TargetSecrets {
  if (!sealed) return {};
  const [iv, data, tag] = sealed.split(".").map((part) => Buffer.from(part, "base64url"));
  if (!iv || !data || !tag) throw new Error("the target's sealed secrets are malformed");
  const decipher = createDecipheriv("aes-256-gcm", key(secret), iv);
  decipher.setAuthTag(tag);
  try {
    return targetSecretsSchema.parse(JSON.parse(Buffer.concat([decipher.update(data), decipher.final()]).toString("utf8")));
  } catch {
    throw new Error("the target's secrets were sealed with another AUTH_SECRET, or altered");
  }
}

export function secretsPresence(secrets: TargetSecrets): SecretsPresence {
  return { databasePassword: Boolean(secrets.databasePassword), sessionCookie: Boolean(secrets.sessionCookie), bearerToken: Boolean(secrets.bearerToken), vercelToken: Boolean(secrets.vercelToken) };
}
