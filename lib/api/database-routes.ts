// The live database view's API: read the target database's sessions and blocking chains, and the
// confirmed cancel / terminate of one session (the catalogue's fix actions; audited).
import { z } from "zod";
import { logger } from "../monitoring/logger";
import { applySessionAction, sessionActionSchema } from "../troubleshooting/live-database/actions";
import { type LiveTarget, liveTargetFor } from "../troubleshooting/live-database/target";
import { readLiveDatabase } from "../troubleshooting/queries/live-database";
import { redactQuery } from "../troubleshooting/probes/database";
import { ApiError } from "./errors";
import { readJson, readQuery } from "./request";
import type { Route, RouteRequest } from "./routes";
import { adminOf, noStore } from "./route-kit";

const ACTION_TIMEOUT_MS = 15_000;

async function liveTarget(r: RouteRequest, name: string | undefined): Promise<LiveTarget> {
  const found = await liveTargetFor(r.addon.prisma(), r.addon.config(), name);
  if (found.ok) return found.live;
  if (found.reason === "unknown") throw new ApiError(404, "not_found", "No such target.");
  throw new ApiError(409, "secrets_unreadable", "The target's sealed secrets cannot be opened with this AUTH_SECRET.");
}

/** The database's own words (SQLSTATE and message) or the connection error's code: never the URL. */
function unreachable(err: unknown): ApiError {
  const { code } = err as { code?: unknown };
  const what = typeof code === "string" && /^[A-Z0-9_]+$/.test(code) ? code : err instanceof Error ? err.name : "error";
  return new ApiError(503, "database_unreachable", `The target database could not be read (${what}).`);
}

export const DATABASE_ROUTES: readonly Route[] = [
  {
    method: "GET", path: "/database/live", guard: "admin",
    summary: "the target database's sessions now (query, ages, wait) and its blocking chains: ?target=",
    handle: async (r) => {
      const { target } = readQuery(r.req, z.object({ target: z.string().min(1).max(100).optional() }));
      const live = await liveTarget(r, target);
      const view = await readLiveDatabase(live.target.databaseUrl, r.req.signal).catch((err: unknown) => {
        throw unreachable(err);
      });
      return Response.json({ target: { name: live.name, database: live.database }, ...view }, { headers: noStore });
    },
  },
  {
    method: "POST", path: "/database/sessions/actions", guard: "admin",
    summary: "cancel a query or terminate a blocking session, once confirmed: {target?, pid, action: cancel|terminate, since}",
    handle: async (r) => {
      const admin = adminOf(r);
      const body = await readJson(r.req, sessionActionSchema);
      const live = await liveTarget(r, body.target);
      // What the admin acted on, for the audit trail: read before the signal.
      const before = await readLiveDatabase(live.target.databaseUrl, r.req.signal).then((v) => v.sessions.find((s) => s.pid === body.pid) ?? null, () => null);
      const result = await applySessionAction(live, body, AbortSignal.timeout(ACTION_TIMEOUT_MS)).catch((err: unknown) => {
        throw unreachable(err);
      });
      await r.addon.prisma().auditLog.create({
        data: {
          actorId: admin.id, actorEmail: admin.email, action: `database.${body.action === "cancel" ? "cancel_query" : "terminate_session"}`, targetType: "database_session", targetId: String(body.pid),
          detail: { target: live.name, database: live.database, fix: result.fix, since: body.since, user: before?.user ?? null, query: before?.query ? redactQuery(before.query, 300) : null, result: result.result, detail: result.detail },
        },
      });
      logger().info({ component: "live-database", target: live.name, pid: body.pid, action: body.action, result: result.result }, "session action");
      return Response.json({ pid: body.pid, action: body.action, target: live.name, ...result }, { headers: noStore });
    },
  },
];
