// The stored targets' API: list, read, add, edit, remove. Answers carry which secrets are set
// (`secrets: { databasePassword: true, ... }`), never a value (lib/targets/store.ts).
import { type StoreContext, createTarget, deleteTarget, getTarget, listTargets, targetIdSchema, updateTarget } from "../targets/store";
import { ApiError } from "./errors";
import { readJson } from "./request";
import type { Route, RouteRequest } from "./routes";
import { z } from "zod";
import { adminOf, noStore } from "./route-kit";

/** The admin an "admin" route acts as (a bearer secret never opens these). */
function storeContext(r: RouteRequest): StoreContext {
  const config = r.addon.config();
  return { prisma: r.addon.prisma(), secret: config.AUTH_SECRET, config, actor: adminOf(r) };
}

const idOf = (r: RouteRequest) => targetIdSchema.parse(r.params).id;

export const TARGET_ROUTES: readonly Route[] = [
  {
    method: "GET", path: "/targets", guard: "admin",
    summary: "stored targets (the default one is the TARGET_* settings), secrets as presence only",
    handle: async (r) => Response.json({ targets: await listTargets(r.addon.prisma(), r.addon.config().AUTH_SECRET) }, { headers: noStore }),
  },
  {
    method: "POST", path: "/targets", guard: "admin",
    summary: "add a target: 201 (409 when the name, or its site and database, exist)",
    handle: async (r) => {
      const target = await createTarget(storeContext(r), await readJson(r.req, z.unknown()));
      return Response.json({ target }, { status: 201, headers: { ...noStore, Location: `${r.addon.config().apiBasePath}/targets/${target.id}` } });
    },
  },
  {
    method: "GET", path: "/targets/:id", guard: "admin",
    summary: "one stored target",
    handle: async (r) => {
      const target = await getTarget(r.addon.prisma(), r.addon.config().AUTH_SECRET, idOf(r));
      if (!target) throw new ApiError(404, "not_found", "No such target.");
      return Response.json({ target }, { headers: noStore });
    },
  },
  {
    method: "PATCH", path: "/targets/:id", guard: "admin",
    summary: "edit a target: an empty secret keeps the stored one, removeSecrets clears",
    handle: async (r) => Response.json({ target: await updateTarget(storeContext(r), idOf(r), await readJson(r.req, z.unknown())) }, { headers: noStore }),
  },
  {
    method: "DELETE", path: "/targets/:id", guard: "admin",
    summary: "remove a target; its runs and history stay (409 while a run on it is active)",
    handle: async (r) => {
      await deleteTarget(storeContext(r), idOf(r));
      return new Response(null, { status: 204 });
    },
  },
];
