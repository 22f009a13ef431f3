// Issues across runs: the list per target and tab, one issue with its sightings, and its state.
import { z } from "zod";
import { type Cursor, ISSUE_TABS, cursorSchema, getIssueGroup, listIssueGroups } from "../issues/queries";
import { setIssueState, stateChangeSchema } from "../issues/set-state";
import { listTargetRefs, targetNames, targetScope } from "../targets/scope";
import { ApiError } from "./errors";
import { readJson, readQuery } from "./request";
import type { Route, RouteRequest } from "./routes";
import { adminOf, noStore } from "./route-kit";

const listQuery = z.object({
  target: z.string().max(200).optional(),
  state: z.enum(ISSUE_TABS, { error: `must be one of ${ISSUE_TABS.join(", ")}` }).default("open"),
  cursor: cursorSchema.optional(),
});
const detailQuery = z.object({ cursor: cursorSchema.optional() });
const issueIdSchema = z.object({ issueId: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, "not an issue id") });

/** Target names by targetKey, to name each issue's target (null: a target since removed). */
const namesOf = async (r: RouteRequest) => targetNames(await listTargetRefs(r.addon.prisma(), r.addon.config()));

async function detail(r: RouteRequest, cursor: Cursor | undefined) {
  const { issueId } = issueIdSchema.parse(r.params);
  const issue = await getIssueGroup(r.addon.prisma(), issueId, { cursor });
  if (!issue) throw new ApiError(404, "not_found", "No such issue.");
  return { ...issue, target: (await namesOf(r)).get(issue.targetKey) ?? null };
}

export const ISSUE_ROUTES: readonly Route[] = [
  {
    method: "GET", path: "/issues", guard: "admin",
    summary: "issues across runs, most recently seen first: ?target=&state=open|snoozed|ignored|resolved|regressions&cursor=",
    handle: async (r) => {
      const query = readQuery(r.req, listQuery);
      const prisma = r.addon.prisma();
      const scope = await targetScope(prisma, r.addon.config(), query.target);
      if (scope.unknown) throw new ApiError(404, "not_found", "No such target.");
      const [page, names] = await Promise.all([listIssueGroups(prisma, { targetKey: scope.target?.targetKey ?? null, tab: query.state, cursor: query.cursor }), namesOf(r)]);
      return Response.json({ items: page.items.map((i) => ({ ...i, target: names.get(i.targetKey) ?? null })), nextCursor: page.nextCursor }, { headers: noStore });
    },
  },
  {
    method: "GET", path: "/issues/:issueId", guard: "admin",
    summary: "one issue: first/last seen, runs seen, state, and the runs that saw it (?cursor= for more)",
    handle: async (r) => Response.json(await detail(r, readQuery(r.req, detailQuery).cursor), { headers: noStore }),
  },
  {
    method: "POST", path: "/issues/:issueId/state", guard: "admin",
    summary: "set an issue's state: acknowledged, snoozed (until), ignored (reason), resolved, open; audited",
    handle: async (r) => {
      const admin = adminOf(r);
      const { issueId } = issueIdSchema.parse(r.params);
      const body = await readJson(r.req, stateChangeSchema());
      const changed = await setIssueState(r.addon.prisma(), issueId, admin, body);
      if (!changed) throw new ApiError(404, "not_found", "No such issue.");
      return Response.json({ id: issueId, ...changed });
    },
  },
];
