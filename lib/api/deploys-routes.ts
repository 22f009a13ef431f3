// The API of deploys and per-check history (README: "Deploys and per-check history").
import type { Route } from "./routes";
import { ApiError } from "./errors";
import { readQuery } from "./request";
import { parseRunId } from "../troubleshooting/runs/api-schemas";
import { runDeploy } from "../troubleshooting/deploys/since-deploy";
import { checkHistory, checkHistoryQuerySchema } from "../troubleshooting/queries/check-history";
import { DEFAULT_TARGET_NAME, targetScope } from "../targets/scope";
import { noStore } from "./route-kit";

export const DEPLOY_ROUTES: Route[] = [
  {
    method: "GET", path: "/runs/:runId/deploy", guard: "admin",
    summary: "the build (and Vercel deployment) a run saw, the previous run's build on its target, and the issues first seen since that deploy",
    handle: async ({ params, addon }) => {
      const deploy = await runDeploy(addon.prisma(), parseRunId(params));
      if (!deploy) throw new ApiError(404, "not_found", "No such run.");
      return Response.json(deploy, { headers: noStore });
    },
  },
  {
    method: "GET", path: "/checks", guard: "admin",
    summary: "per-check history of one target (`?target=<name>`, default: the configured one; `&range=24h|7d|30d|90d`): availability and latency percentiles (with n) per endpoint and page, outcomes per check and day",
    handle: async ({ req, addon }) => {
      const query = readQuery(req, checkHistoryQuerySchema);
      const prisma = addon.prisma();
      // One target at a time (the default one unless named): samples of two targets never mix.
      const { target } = await targetScope(prisma, addon.config(), query.target ?? DEFAULT_TARGET_NAME);
      if (!target) throw new ApiError(404, "not_found", "No such target.");
      return Response.json({ target: target.name, ...(await checkHistory(prisma, query.range, target.targetKey)) }, { headers: noStore });
    },
  },
];
