// A queued job sits in pg-boss's tables (and its archive) for days: the target database's password
// is kept there only encrypted (AES-256-GCM, key derived from AUTH_SECRET, which the enqueuing
// process and the workers of one deployment share; a host's `secret`).
import { SealError, open, seal } from "../crypto/seal";

/** The URL without its password, and the password sealed (none when it had none). */
export function sealUrlPassword(url: string, secret: string): { url: string; sealedPassword?: string } {
  const parsed = new URL(url);
  if (!parsed.password) return { url };
  const password = decodeURIComponent(parsed.password);
  parsed.password = "";
  return { url: parsed.toString(), sealedPassword: seal(password, secret, "queued-job") };
}

/** The URL with its password back; throws when the seal was made with another AUTH_SECRET. */
export function openUrlPassword(url: string, sealedPassword: string | null | undefined, secret: string): string {
  if (!sealedPassword) return url;
  let password: string;
  try {
    password = open(sealedPassword, secret, "queued-job");
  } catch (err) {
    if (err instanceof SealError && err.reason === "malformed") throw new Error("the queued job's database password is malformed");
    throw new Error("the queued job's database password was sealed with another AUTH_SECRET");
  }
  const parsed = new URL(url);
  parsed.password = encodeURIComponent(password);
  return parsed.toString();
}
