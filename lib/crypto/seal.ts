// Secrets the add-on keeps at rest (a stored target's secrets, an alert channel's URL, a queued
// job's database password) are sealed with AES-256-GCM under a key derived from the add-on's secret
// (AUTH_SECRET, a host's `secret`) and a purpose, so a value sealed for one use never opens as
// another. Node's own crypto: no hand-written cipher, only this framing ("iv.ciphertext.tag").
import { createCipheriv, createDecipheriv, createHash, randomBytes } from "node:crypto";

/** What a sealed value is for; part of its key. */
export type SealPurpose = "target-secrets" | "alert-channel-url" | "queued-job";

const key = (secret: string, purpose: SealPurpose) => createHash("sha256").update(`troubleshooter:${purpose}:${secret}`).digest();

/** "iv.ciphertext.tag", each base64url. */
export function seal(plain: string, secret: string, purpose: SealPurpose): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key(secret, purpose), iv);
  const sealed = Buffer.concat([cipher.update(plain, "utf8"), cipher.final()]);
  return [iv, sealed, cipher.getAuthTag()].map((b) => b.toString("base64url")).join(".");
}

/** Why a sealed value does not open; the message never holds any part of the value. */
export class SealError extends Error {
  constructor(readonly reason: "malformed" | "wrong-secret") {
    super(reason === "malformed" ? "the sealed value is malformed" : "the value was sealed with another AUTH_SECRET, or altered");
    this.name = "SealError";
  }
}

/** The plain text back; throws SealError. */
export function open(sealed: string, secret: string, purpose: SealPurpose): string {
  const [iv, data, tag] = sealed.split(".").map((part) => Buffer.from(part, "base64url"));
  if (!iv || !data || !tag) throw new SealError("malformed");
  try {
    const decipher = createDecipheriv("aes-256-gcm", key(secret, purpose), iv);
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(data), decipher.final()]).toString("utf8");
  } catch {
    throw new SealError("wrong-secret");
  }
}
