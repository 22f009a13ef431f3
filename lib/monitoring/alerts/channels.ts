// Alert channels an admin adds in the dashboard, besides ALERT_WEBHOOK_URL. A webhook URL is a
// credential (Slack's path is its secret), so it is sealed at rest (AES-256-GCM, a key derived
// from AUTH_SECRET for this purpose only) and never shown again: pages and API answers see the
// host alone.
import { z } from "zod";
import type { PrismaClient } from "../../db";
import { SealError, open, seal } from "../../crypto/seal";
import { ALERT_KINDS } from "./rules";

/** "iv.ciphertext.tag" (base64url). */
export const sealChannelUrl = (url: string, secret: string): string => seal(url, secret, "alert-channel-url");

/** The URL back. Throws (without any part of it) when sealed with another secret or altered. */
export function openChannelUrl(sealed: string, secret: string): string {
  try {
    return open(sealed, secret, "alert-channel-url");
  } catch (err) {
    if (err instanceof SealError) throw new Error(err.reason === "malformed" ? "the channel's sealed URL is malformed" : "the channel's URL was sealed with another AUTH_SECRET, or altered");
    throw err;
  }
}

/** http(s) only, no user:password part (it would be shown nowhere and kept as a second secret). */
const webhookUrl = z
  .url({ protocol: /^https?$/, error: "must be an http:// or https:// URL" })
  .max(2_000)
  .refine((u) => { const p = new URL(u); return !p.username && !p.password; }, "must not contain a user name or password");

const kinds = z.array(z.enum(ALERT_KINDS)).max(ALERT_KINDS.length).transform((k) => [...new Set(k)]);

export const channelCreateSchema = z.object({
  name: z.string().trim().min(1).max(80),
  format: z.enum(["slack", "generic"]).default("slack"),
  url: webhookUrl,
  enabled: z.boolean().default(true),
  /** Empty: every kind. */
  kinds: kinds.default([]),
});
/** Every field optional; `url` absent keeps the sealed one (the form never shows it again). */
export const channelUpdateSchema = channelCreateSchema.partial().refine((v) => Object.keys(v).length > 0, "nothing to change");
export type ChannelCreate = z.infer<typeof channelCreateSchema>;
export type ChannelUpdate = z.infer<typeof channelUpdateSchema>;

/** A channel as pages and API answers show it: never the URL. */
export interface ChannelView {
  id: string;
  name: string;
  format: string;
  /** The URL's host (and port), e.g. "hooks.slack.com". */
  host: string;
  enabled: boolean;
  kinds: string[];
  createdAt: Date;
  /** The newest delivery to it (an alert or a test), if any. */
  lastDelivery: { status: string; httpStatus: number | null; error: string | null; at: Date; test: boolean } | null;
}

const VIEW = { id: true, name: true, format: true, host: true, enabled: true, kinds: true, createdAt: true } as const;

export async function listChannels(prisma: PrismaClient): Promise<ChannelView[]> {
  const rows = await prisma.alertChannel.findMany({ orderBy: { name: "asc" }, select: VIEW });
  if (rows.length === 0) return [];
  // The newest delivery per channel: DISTINCT ON over the (channelId, createdAt desc) index.
  const last = await prisma.$queryRaw<{ channelId: string; status: string; httpStatus: number | null; error: string | null; createdAt: Date; alertId: string | null }[]>`
    SELECT DISTINCT ON ("channelId") "channelId", status, "httpStatus", error, "createdAt", "alertId"
      FROM troubleshooter."AlertDelivery" WHERE "channelId" = ANY(${rows.map((r) => r.id)})
     ORDER BY "channelId", "createdAt" DESC`;
  const byChannel = new Map(last.map((d) => [d.channelId, d]));
  return rows.map((r) => {
    const d = byChannel.get(r.id);
    return { ...r, lastDelivery: d ? { status: d.status, httpStatus: d.httpStatus, error: d.error, at: d.createdAt, test: d.alertId === null } : null };
  });
}

export async function getChannel(prisma: PrismaClient, id: string): Promise<ChannelView | null> {
  return (await listChannels(prisma)).find((c) => c.id === id) ?? null;
}

export class ChannelNameTaken extends Error {
  constructor() {
    super("An alert channel with this name already exists.");
    this.name = "ChannelNameTaken";
  }
}

const isUniqueViolation = (err: unknown) => (err as { code?: unknown })?.code === "P2002";

export async function createChannel(prisma: PrismaClient, input: ChannelCreate, secret: string): Promise<ChannelView> {
  try {
    const row = await prisma.alertChannel.create({
      data: { name: input.name, format: input.format, enabled: input.enabled, kinds: input.kinds, host: new URL(input.url).host, sealedUrl: sealChannelUrl(input.url, secret) },
      select: VIEW,
    });
    return { ...row, lastDelivery: null };
  } catch (err) {
    if (isUniqueViolation(err)) throw new ChannelNameTaken();
    throw err;
  }
}

/** Null when there is no such channel. */
export async function updateChannel(prisma: PrismaClient, id: string, input: ChannelUpdate, secret: string): Promise<ChannelView | null> {
  const { url, ...rest } = input;
  try {
    const updated = await prisma.alertChannel.updateMany({ where: { id }, data: { ...rest, ...(url ? { host: new URL(url).host, sealedUrl: sealChannelUrl(url, secret) } : {}) } });
    return updated.count === 0 ? null : getChannel(prisma, id);
  } catch (err) {
    if (isUniqueViolation(err)) throw new ChannelNameTaken();
    throw err;
  }
}

/** Removes the channel and its id from every target's routing list; false when there was none. */
export async function deleteChannel(prisma: PrismaClient, id: string): Promise<boolean> {
  return prisma.$transaction(async (tx) => {
    const deleted = await tx.alertChannel.deleteMany({ where: { id } });
    if (deleted.count > 0) await tx.$executeRaw`UPDATE troubleshooter."Target" SET "alertChannelIds" = array_remove("alertChannelIds", ${id}) WHERE ${id} = ANY("alertChannelIds")`;
    return deleted.count > 0;
  });
}
