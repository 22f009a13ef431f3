// What every route module's handlers share (lib/api/routes.ts and the *-routes.ts it spreads).
import type { Admin } from "../auth/guard";
import { ApiError } from "./errors";
import type { RouteRequest } from "./routes";

/** Answers about runs, targets and issues change with every run: never cached. */
export const noStore = { "cache-control": "no-store" };

/** The admin a handler acts as; "admin" routes always have one. */
export function adminOf(r: RouteRequest): Admin {
  if (!r.admin) throw new ApiError(403, "forbidden", "Administrator role required.");
  return r.admin;
}
