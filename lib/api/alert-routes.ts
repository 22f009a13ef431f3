// Alert channels: list, add, edit, remove, and "send test alert". A channel's URL goes in once and
// never comes back out: answers carry its host. Every change and every test is audited.
import { z } from "zod";
import { alertSettingsFrom } from "../monitoring/alerts/settings";
import { ChannelNameTaken, channelCreateSchema, channelUpdateSchema, createChannel, deleteChannel, listChannels, updateChannel } from "../monitoring/alerts/channels";
import { sendTestAlert } from "../monitoring/alerts/test-alert";
import { ApiError } from "./errors";
import { readJson } from "./request";
import type { Route, RouteRequest } from "./routes";
import { adminOf, noStore } from "./route-kit";

const channelId = z.object({ id: z.string().regex(/^[a-z0-9]{1,40}$/, "must be a channel id") });

const notFound = () => new ApiError(404, "not_found", "No such alert channel.");

/** The unique-name clash as a 409 rather than a generic 500. */
async function nameClash<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    if (err instanceof ChannelNameTaken) throw new ApiError(409, "name_taken", err.message);
    throw err;
  }
}

async function audit(r: RouteRequest, action: string, id: string, detail: Record<string, unknown>) {
  const admin = adminOf(r);
  await r.addon.prisma().auditLog.create({ data: { actorId: admin.id, actorEmail: admin.email, action, targetType: "alert_channel", targetId: id, detail: detail as object } });
}

export const ALERT_ROUTES: readonly Route[] = [
  {
    method: "GET", path: "/alert-channels", guard: "admin",
    summary: "alert channels (host only, never the URL), each with its last delivery; the environment's webhook host",
    handle: async ({ addon }) => {
      const config = addon.config();
      const webhook = config.ALERT_WEBHOOK_URL ? { host: new URL(config.ALERT_WEBHOOK_URL).host, format: config.ALERT_WEBHOOK_FORMAT } : null;
      return Response.json({ channels: await listChannels(addon.prisma()), webhook }, { headers: noStore });
    },
  },
  {
    method: "POST", path: "/alert-channels", guard: "admin",
    summary: "add a channel: {name, format, url (http/https, sealed at rest), enabled, kinds}",
    handle: async (r) => {
      adminOf(r);
      const body = await readJson(r.req, channelCreateSchema);
      const channel = await nameClash(() => createChannel(r.addon.prisma(), body, r.addon.config().AUTH_SECRET));
      await audit(r, "alert_channel.create", channel.id, { name: channel.name, host: channel.host, format: channel.format, enabled: channel.enabled, kinds: channel.kinds });
      return Response.json(channel, { status: 201, headers: noStore });
    },
  },
  {
    method: "PATCH", path: "/alert-channels/:id", guard: "admin",
    summary: "edit a channel (any field; a new url replaces the sealed one)",
    handle: async (r) => {
      adminOf(r);
      const { id } = channelId.parse(r.params);
      const body = await readJson(r.req, channelUpdateSchema);
      const channel = await nameClash(() => updateChannel(r.addon.prisma(), id, body, r.addon.config().AUTH_SECRET));
      if (!channel) throw notFound();
      const { url, ...changed } = body;
      await audit(r, "alert_channel.update", id, { ...changed, ...(url ? { urlReplaced: true, host: channel.host } : {}) });
      return Response.json(channel, { headers: noStore });
    },
  },
  {
    method: "DELETE", path: "/alert-channels/:id", guard: "admin",
    summary: "remove a channel (and from every target's routing)",
    handle: async (r) => {
      adminOf(r);
      const { id } = channelId.parse(r.params);
      if (!(await deleteChannel(r.addon.prisma(), id))) throw notFound();
      await audit(r, "alert_channel.delete", id, {});
      return new Response(null, { status: 204 });
    },
  },
  {
    method: "POST", path: "/alert-channels/:id/test", guard: "admin",
    summary: "send a test alert to the channel now: its outcome (HTTP status, or the error without the URL)",
    handle: async (r) => {
      const admin = adminOf(r);
      const { id } = channelId.parse(r.params);
      const config = r.addon.config();
      const outcome = await sendTestAlert(r.addon.prisma(), id, admin.email, alertSettingsFrom(config, config.basePath));
      if (!outcome) throw notFound();
      await audit(r, "alert_channel.test", id, { name: outcome.channel.name, host: outcome.channel.host, ok: outcome.ok, httpStatus: outcome.httpStatus, error: outcome.error });
      return Response.json(outcome, { headers: noStore });
    },
  },
];
