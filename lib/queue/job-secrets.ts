// A queued job sits in pg-boss's tables (and its archive) for days: the target database's password
// is kept there only encrypted (AES-256-GCM, key derived from AUTH_SECRET, which the enqueuing
// process and the workers of one deployment share; a host's `secret`).
import { createCipheriv, createDecipheriv, createHash, randomBytes } from "node:crypto";
const key = (secret: string) => createHash("sha256").update(`troubleshooter:queued-job:${secret}`).digest();

/** The URL without its password, and the password sealed (none when it had none). */
export function sealUrlPassword(url: string, secret: string): { url: string; sealedPassword?: string } {
  const parsed = new URL(url);
  if (!parsed.password) return { url };
  const password = decodeURIComponent(parsed.password);
  parsed.password = "";
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key(secret), iv);
  const sealed = Buffer.concat([cipher.update(password, "utf8"), cipher.final()]);
  return { url: parsed.toString(), sealedPassword: [iv, sealed, cipher.getAuthTag()].map((b) => b.toString("base64url")).join(".") };
}

/** The URL with its password back; throws when the seal was made with another AUTH_SECRET. */
export function openUrlPassword(url: string, sealedPassword: string | null | undefined, secret: string): string {
  if (!sealedPassword) return url;
  const [iv, sealed, tag] = sealedPassword.split(".").map((part) => Buffer.from(part, "base64url"));
  if (!iv || !sealed || !tag) throw new Error("the queued job's database password is malformed");
  const decipher = createDecipheriv("aes-256-gcm", key(secret), iv);
  decipher.setAuthTag(tag);
  let password: string;
  try {
    password = Buffer.concat([decipher.update(sealed), decipher.final()]).toString("utf8");
  } catch {
    throw new Error("the queued job's database password was sealed with another AUTH_SECRET");
  }
  const parsed = new URL(url);
  parsed.password = encodeURIComponent(password);
  return parsed.toString();
}
