// Machine callers (Vercel Cron, a Prometheus scraper) authenticate with a bearer secret from
// configuration, compared in constant time (digests of equal length, so length leaks nothing).
import { createHash, timingSafeEqual } from "node:crypto";

const digest = (value: string) => createHash("sha256").update(value).digest();

/** True when the request carries `Authorization: Bearer <secret>` and a secret is configured. */
export function hasBearer(req: Request, secret: string | undefined): boolean {
  if (!secret) return false;
  const header = req.headers.get("authorization") ?? "";
  const match = /^Bearer (.+)$/.exec(header);
  return match !== null && timingSafeEqual(digest(match[1] ?? ""), digest(secret));
}
