// The add-on's whole API: one table of method, path (relative to apiBasePath), guard and handler,
// served by one catch-all route in any host (lib/api/dispatch.ts). The README's API table lists
// the same rows. Guards: "admin" (the host's authorize() says admin), "admin-or-metrics-token"
// (or `Authorization: Bearer $METRICS_TOKEN`), "cron-secret" (`Bearer $CRON_SECRET` only).
import { after } from "next/server";
import { z } from "zod";
import type { Admin } from "../auth/guard";
import { checkAppHealth } from "../health/app-health";
import { probeDatabase } from "../health/database-probe";
import type { AddonContext } from "../mount/context";
import { exportQuerySchema, monitoringExportFile } from "../monitoring/export";
import { logQuerySchema, queryLogs } from "../monitoring/log-store";
import { runMaintenance } from "../monitoring/maintenance";
import { metricsText } from "../monitoring/metrics";
import { reportToMarkdown } from "../troubleshooting/queries/markdown";
import { buildReport } from "../troubleshooting/queries/report";
import { listRuns } from "../troubleshooting/queries/runs";
import { decisionSchema, listRunsSchema, parseRunId, startRunSchema } from "../troubleshooting/runs/api-schemas";
import { cancelRun, decideAction } from "../troubleshooting/runs/run-control";
import { resumeInterruptedRun } from "../troubleshooting/runs/run-resume";
import { createRun, executeRun, resumeRun } from "../troubleshooting/runs/run-service";
import { runTargetByName } from "../targets/run-target";
import { resolveTargetFilter, targetNames } from "../targets/scope";
import { TARGET_ROUTES } from "./target-routes";
import { startScheduledRun } from "../troubleshooting/runs/scheduled-run";
import { cronFleet } from "../targets/schedule-cron";
import { ApiError } from "./errors";
import { readJson, readQuery } from "./request";
import { SSE_HEADERS, runEventStream } from "./sse";
import { maintenanceSettings } from "../mount/maintenance";
import { ALERT_ROUTES } from "./alert-routes";
import { DATABASE_ROUTES } from "./database-routes";
import { DEPLOY_ROUTES } from "./deploys-routes";
import { ISSUE_ROUTES } from "./issue-routes";
import { adminOf, noStore } from "./route-kit";

export type Guard = "admin" | "admin-or-metrics-token" | "cron-secret";
export type Method = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

export interface RouteRequest {
  req: Request;
  /** The path's :named segments. */
  params: Record<string, string>;
  /** The administrator, for "admin" routes (null when a bearer secret let the request in). */
  admin: Admin | null;
  addon: AddonContext;
}

export interface Route {
  method: Method;
  /** Relative to apiBasePath; `:name` matches one segment. */
  path: string;
  guard: Guard;
  /** What it does, for the README's table. */
  summary: string;
  handle: (r: RouteRequest) => Promise<Response>;
}

async function reportOr404(r: RouteRequest) {
  const report = await buildReport(r.addon.prisma(), parseRunId(r.params));
  if (!report) throw new ApiError(404, "not_found", "No such run.");
  return report;
}

/** Where to resume an event stream: Last-Event-ID (a seq this route sent) or ?after=. */
const resumeFrom = z.object({ lastEventId: z.coerce.number({ error: "must be an event seq (a whole number)" }).int().min(0) });
const exportFormat = z.object({ format: z.enum(["json", "md"]).default("json") });

export const ROUTES: readonly Route[] = [
  {
    method: "GET", path: "/health", guard: "admin",
    summary: "health of the add-on: ok / degraded / down (503), version, uptime, its database",
    handle: async ({ addon }) => {
      const health = await checkAppHealth(addon.prisma());
      return Response.json(health, { status: health.status === "down" ? 503 : 200, headers: noStore });
    },
  },
  {
    method: "GET", path: "/logs", guard: "admin",
    summary: "recent log entries: ?level=&since=&runId=&limit=1..1000",
    handle: async ({ req, addon }) => Response.json({ entries: await queryLogs(addon.prisma(), readQuery(req, logQuerySchema)) }, { headers: noStore }),
  },
  {
    method: "GET", path: "/database", guard: "admin",
    summary: "read-only connectivity test of the target database (503 if unreachable)",
    handle: async ({ addon }) => {
      const probe = await probeDatabase(addon.config().targetDatabaseUrl);
      return Response.json(probe, { status: probe.connected ? 200 : 503, headers: noStore });
    },
  },
  {
    method: "GET", path: "/metrics", guard: "admin-or-metrics-token",
    summary: "Prometheus text format",
    handle: async ({ addon }) => {
      const { text, contentType } = await metricsText(addon.prisma());
      return new Response(text, { headers: { "content-type": contentType, ...noStore } });
    },
  },
  {
    method: "GET", path: "/monitoring/export", guard: "admin",
    summary: "per-day figures and tracked errors: ?from=&to=&format=json|csv",
    handle: async ({ req, addon }) => {
      const file = await monitoringExportFile(addon.prisma(), readQuery(req, exportQuerySchema));
      return new Response(file.body, { headers: { "content-type": file.contentType, "content-disposition": `attachment; filename="${file.filename}"`, ...noStore } });
    },
  },
  {
    method: "GET", path: "/cron", guard: "cron-secret",
    summary: "a scheduled run (trigger cron) unless one is active, the fleet's due targets queued (one run of them drained here), and maintenance (expired approvals rejected, their runs finished)",
    handle: async ({ addon }) => {
      const engine = await addon.engine();
      const result = await startScheduledRun(engine, addon.config());
      const fleet = await cronFleet(addon.prisma(), addon.config(), () => addon.engine());
      // Side by side: a run that uses up maxDuration must not starve the maintenance.
      after(() => Promise.all([result.started ? result.execute() : null, fleet.drain(), runMaintenance(addon.prisma(), maintenanceSettings(addon), { prune: true })]));
      const queued = fleet.queued.length ? { fleetQueued: fleet.queued } : {}; // only when the fleet queued any
      return Response.json({ started: result.started, runId: result.runId, ...queued }, { status: result.started ? 202 : 200 });
    },
  },
  {
    method: "POST", path: "/runs", guard: "admin",
    summary: "start a run: 202 with its id at once (409 while one is active on the target)",
    handle: async (r) => {
      const admin = adminOf(r);
      const body = await readJson(r.req, startRunSchema);
      const engine = await r.addon.engine();
      const config = r.addon.config();
      const { target: name, ...input } = body;
      const { target, targetId } = await runTargetByName(r.addon.prisma(), config, name);
      const { runId, config: runConfig } = await createRun(engine, { ...input, requestedById: admin.id, requestedByEmail: admin.email, targetId }, target);
      after(() => executeRun(engine, runId, runConfig));
      return Response.json({ runId }, { status: 202, headers: { Location: `${config.apiBasePath}/runs/${runId}` } });
    },
  },
  {
    method: "GET", path: "/runs", guard: "admin",
    summary: "runs, newest first, filtered (?target=<name>) and paged (?cursor=)",
    handle: async ({ req, addon }) => {
      const { target: name, ...query } = readQuery(req, listRunsSchema);
      const { refs, target } = await resolveTargetFilter(addon.prisma(), addon.config(), name);
      return Response.json(await listRuns(addon.prisma(), { ...query, targetKey: target?.targetKey }, targetNames(refs)));
    },
  },
  {
    method: "GET", path: "/runs/:runId", guard: "admin",
    summary: "the run's report (partial while it runs)",
    handle: async (r) => Response.json(await reportOr404(r)),
  },
  {
    method: "GET", path: "/runs/:runId/events", guard: "admin",
    summary: "Server-Sent Events (id = seq): replay after Last-Event-ID or ?after=, then follow",
    handle: async ({ req, params, addon }) => {
      const runId = parseRunId(params);
      const prisma = addon.prisma();
      if (!(await prisma.troubleshootingRun.findUnique({ where: { id: runId }, select: { id: true } }))) throw new ApiError(404, "not_found", "No such run.");
      const { lastEventId: afterSeq } = resumeFrom.parse({ lastEventId: req.headers.get("last-event-id") ?? new URL(req.url).searchParams.get("after") ?? 0 });
      return new Response(runEventStream(prisma, runId, { afterSeq, signal: req.signal }), { headers: SSE_HEADERS });
    },
  },
  {
    method: "GET", path: "/runs/:runId/export", guard: "admin",
    summary: "the report as a download: ?format=json|md",
    handle: async (r) => {
      const { format } = readQuery(r.req, exportFormat);
      const report = await reportOr404(r);
      const body = format === "md" ? reportToMarkdown(report) : JSON.stringify(report, null, 2);
      const type = format === "md" ? "text/markdown; charset=utf-8" : "application/json; charset=utf-8";
      return new Response(body, { headers: { "content-type": type, "content-disposition": `attachment; filename="troubleshooting-${report.runId}.${format}"`, ...noStore } });
    },
  },
  {
    method: "POST", path: "/runs/:runId/decisions", guard: "admin",
    summary: "approve or reject one pending fix; the last decision resumes the run",
    handle: async (r) => {
      const runId = parseRunId(r.params);
      const body = await readJson(r.req, decisionSchema);
      const engine = await r.addon.engine();
      const { resume } = await decideAction(engine, runId, adminOf(r), body);
      if (resume) after(() => resumeRun(engine, runId));
      return Response.json({ actionId: body.actionId, decision: body.decision, resumed: resume });
    },
  },
  {
    method: "POST", path: "/runs/:runId/cancel", guard: "admin",
    summary: "cancel an active run (at once when it waits for approvals, else at its next node)",
    handle: async (r) => {
      const runId = parseRunId(r.params);
      await cancelRun(await r.addon.engine(), runId, adminOf(r));
      return Response.json({ runId, cancelRequested: true }, { status: 202 });
    },
  },
  {
    method: "POST", path: "/runs/:runId/resume", guard: "admin",
    summary: "resume an interrupted run from its last checkpoint (409 unless interrupted)",
    handle: async (r) => {
      const runId = parseRunId(r.params);
      const { status, execute } = await resumeInterruptedRun(await r.addon.engine(), runId, adminOf(r));
      if (execute) after(execute);
      return Response.json({ runId, status }, { status: 202 });
    },
  },
  ...ALERT_ROUTES,
  ...DATABASE_ROUTES,
  ...TARGET_ROUTES,
  ...DEPLOY_ROUTES,
  ...ISSUE_ROUTES,
];
