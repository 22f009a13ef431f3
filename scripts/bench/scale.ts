// The scale bench (BENCH_ONLY=scale npm run bench): every read model behind a dashboard page, and
// every page served by the built app, over the fleet of scale-data.ts (50 targets × hourly runs ×
// 90 days). Goals from issue 20: a page under 300 ms median, a query under 100 ms.
//
// (a) Each read-model function is timed directly (median and p95 of max(7, BENCH_RUNS) calls after
//     a warm-up). The warm-up call records the SQL it sends (Prisma's query events); each statement
//     is then run under EXPLAIN (ANALYZE, BUFFERS) with its parameters: its execution time and any
//     sequential scan of a large table are printed, and the plans of the slow ones are written to
//     .data/bench-scale/plans.txt.
// (b) Each page is fetched from `next start` (port BENCH_SCALE_PORT, default 3810) signed in as an
//     admin, median and p95 of the same count.
// A new page or query is one line in PAGES or QUERIES.
import { appendFile, mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import pg from "pg";
import { z } from "zod";
import { PrismaPg } from "@prisma/adapter-pg";
import type { PrismaClient } from "../../lib/db";
import { PrismaClient as GeneratedClient } from "../../lib/generated/prisma/client";
import { createUser } from "../../lib/standalone/auth/users";
import { listAlerts } from "../../lib/monitoring/alerts";
import { errorReport } from "../../lib/monitoring/error-report";
import { monitoringOverview } from "../../lib/monitoring/monitoring-page";
import { botPerformance, checkPerformance } from "../../lib/monitoring/performance";
import { comprehensiveStatus } from "../../lib/monitoring/status";
import { history, rangeStart } from "../../lib/troubleshooting/queries/history";
import { latestHealth, overview } from "../../lib/troubleshooting/queries/overview";
import { buildReport } from "../../lib/troubleshooting/queries/report";
import { listRuns, runCursor, runsAwaitingDecision } from "../../lib/troubleshooting/queries/runs";
import { checkHistory } from "../../lib/troubleshooting/queries/check-history";
import { fleetSummary } from "../../lib/troubleshooting/queries/fleet";
import { runDeploy } from "../../lib/troubleshooting/deploys/since-deploy";
import { getIssueGroup, listIssueGroups } from "../../lib/issues/queries";
import { listChannels } from "../../lib/monitoring/alerts/channels";
import { targetSchedules } from "../../lib/monitoring/alerts/schedules";
import { buildNext, hasBuild, runNext, stopChild, waitForPort } from "../lib/next-process";
import { isPortFree } from "../lib/embedded-postgres";
import { openScaleDatabase } from "./scale-data";
import { median, record, target, textTable } from "./table";

/** What the cases need to name: a target, runs old and new, a problem. */
export interface ScaleContext {
  targetKey: string;
  targetName: string;
  /** Every target's key (the overview's fleet card). */
  targetKeys: string[];
  recentRunId: string;
  oldRunId: string;
  groupId: string;
  /** The last run of page 1999 (20 a page), where a keyset page 2000 starts. */
  cursor: { startedAt: Date; id: string };
}

export interface QueryCase {
  name: string;
  run: (prisma: PrismaClient, ctx: ScaleContext) => Promise<unknown>;
}

export interface PageCase {
  name: string;
  path: (ctx: ScaleContext) => string;
}

const CONFIGURED = { llmConfigured: false, webhookConfigured: true };

/** The read models behind the pages, as the pages call them. */
export const QUERIES: QueryCase[] = [
  { name: "nav: runsAwaitingDecision", run: (p) => runsAwaitingDecision(p) },
  { name: "overview", run: (p) => overview(p) },
  { name: "overview: one target", run: (p, c) => overview(p, c.targetKey) },
  { name: "overview: fleet card (50 targets)", run: (p, c) => fleetSummary(p, c.targetKeys) },
  { name: "overview: latestHealth", run: (p) => latestHealth(p) },
  { name: "runs: page 1", run: (p) => listRuns(p, { page: 1, pageSize: 20 }) },
  { name: "runs: page 50", run: (p) => listRuns(p, { page: 50, pageSize: 20 }) },
  { name: "runs: page 2000 by cursor", run: (p, c) => listRuns(p, { page: 1, pageSize: 20, cursor: runCursor(c.cursor) }) },
  { name: "runs: critical web", run: (p) => listRuns(p, { severity: "critical", domain: "web", page: 1, pageSize: 20 }) },
  { name: "runs: failed, page 5", run: (p) => listRuns(p, { status: "failed", page: 5, pageSize: 20 }) },
  { name: "runs: one target", run: (p, c) => listRuns(p, { targetKey: c.targetKey, page: 1, pageSize: 20 }) },
  { name: "report: latest run", run: (p, c) => buildReport(p, c.recentRunId) },
  { name: "report: 80-day-old run", run: (p, c) => buildReport(p, c.oldRunId) },
  { name: "run: deploy and since-deploy", run: (p, c) => runDeploy(p, c.recentRunId) },
  { name: "history 24h", run: (p) => history(p, "24h") },
  { name: "history 7d", run: (p) => history(p, "7d") },
  { name: "history 30d", run: (p) => history(p, "30d") },
  { name: "history 90d", run: (p) => history(p, "90d") },
  { name: "history 90d: one target", run: (p, c) => history(p, "90d", c.targetKey) },
  { name: "issues: open, all targets", run: (p) => listIssueGroups(p, { targetKey: null, tab: "open" }) },
  { name: "issues: open, one target", run: (p, c) => listIssueGroups(p, { targetKey: c.targetKey, tab: "open" }) },
  { name: "issues: regressions", run: (p) => listIssueGroups(p, { targetKey: null, tab: "regressions" }) },
  { name: "issue detail with sightings", run: (p, c) => getIssueGroup(p, c.groupId) },
  { name: "checks 7d: one target", run: (p, c) => checkHistory(p, "7d", c.targetKey) },
  { name: "checks 90d: one target", run: (p, c) => checkHistory(p, "90d", c.targetKey) },
  { name: "targets: schedules", run: (p) => targetSchedules(p) },
  { name: "alerts: channels", run: (p) => listChannels(p) },
  { name: "monitoring 7d", run: (p) => monitoringOverview(p, "7d", CONFIGURED) },
  { name: "monitoring 90d", run: (p) => monitoringOverview(p, "90d", CONFIGURED) },
  { name: "monitoring: status", run: (p) => comprehensiveStatus(p, CONFIGURED) },
  { name: "monitoring: errors 90d", run: (p) => errorReport(p, rangeStart("90d")) },
  { name: "monitoring: bots 90d", run: (p) => botPerformance(p, rangeStart("90d")) },
  { name: "monitoring: checks 7d", run: (p) => checkPerformance(p, rangeStart("7d")) },
  { name: "monitoring: checks 90d", run: (p) => checkPerformance(p, rangeStart("90d")) },
  { name: "monitoring: alerts", run: (p) => listAlerts(p, { limit: 20 }) },
];

const BASE = "/admin/troubleshooting";

/** The dashboard's pages (and one API answer). */
export const PAGES: PageCase[] = [
  { name: "overview", path: () => BASE },
  { name: "overview ?target=", path: (c) => `${BASE}?target=${c.targetName}` },
  { name: "runs", path: () => `${BASE}/runs` },
  { name: "runs page 50", path: () => `${BASE}/runs?page=50` },
  { name: "runs critical web", path: () => `${BASE}/runs?severity=critical&domain=web` },
  { name: "runs ?target=", path: (c) => `${BASE}/runs?target=${c.targetName}` },
  { name: "run (latest)", path: (c) => `${BASE}/runs/${c.recentRunId}` },
  { name: "run (80 days old)", path: (c) => `${BASE}/runs/${c.oldRunId}` },
  { name: "issues", path: () => `${BASE}/issues` },
  { name: "issues ?target=", path: (c) => `${BASE}/issues?target=${c.targetName}` },
  { name: "issue detail", path: (c) => `${BASE}/issues/${c.groupId}` },
  { name: "history 24h", path: () => `${BASE}/history?range=24h` },
  { name: "history 7d", path: () => `${BASE}/history?range=7d` },
  { name: "history 30d", path: () => `${BASE}/history?range=30d` },
  { name: "history 90d", path: () => `${BASE}/history?range=90d` },
  { name: "history 90d ?target=", path: (c) => `${BASE}/history?range=90d&target=${c.targetName}` },
  { name: "checks 7d ?target=", path: (c) => `${BASE}/checks?range=7d&target=${c.targetName}` },
  { name: "checks 90d ?target=", path: (c) => `${BASE}/checks?range=90d&target=${c.targetName}` },
  { name: "targets", path: () => `${BASE}/targets` },
  { name: "alerts", path: () => `${BASE}/alerts` },
  { name: "monitoring 7d", path: () => `${BASE}/monitoring?range=7d` },
  { name: "monitoring 90d", path: () => `${BASE}/monitoring?range=90d` },
  { name: "runs API page 2", path: () => "/api/admin/bots/runs?page=2" },
];

const QUERY_GOAL_MS = 100;
const PAGE_GOAL_MS = 300;
const ADMIN = { email: "scale-admin@example.com", password: "scale-bench-password-123", role: "ADMIN" as const };
const PLANS_FILE = path.resolve(".data/bench-scale/plans.txt");

/** Nearest-rank percentile of `xs` (0 < q <= 1). */
export const percentile = (xs: number[], q: number) => [...xs].sort((a, b) => a - b)[Math.max(0, Math.ceil(q * xs.length) - 1)] ?? 0;

interface CapturedQuery {
  query: string;
  params: string;
}

/** A client that reports each statement it sends, for EXPLAIN. */
function capturingClient(url: string, sink: { on: boolean; queries: CapturedQuery[] }): PrismaClient {
  const client = new GeneratedClient({ adapter: new PrismaPg({ connectionString: url, max: 10 }), log: [{ emit: "event", level: "query" }] });
  client.$on("query", (e) => {
    if (sink.on) sink.queries.push({ query: e.query, params: e.params });
  });
  return client as unknown as PrismaClient;
}

async function contextOf(sql: pg.Client): Promise<ScaleContext> {
  const t = await sql.query<{ name: string; targetKey: string }>(`SELECT name, "targetKey" FROM troubleshooter."Target" ORDER BY name OFFSET 6 LIMIT 1`);
  const tk = t.rows[0];
  if (!tk) throw new Error("the scale database has no targets");
  const recent = await sql.query<{ id: string }>(`SELECT id FROM troubleshooter."TroubleshootingRun" WHERE "targetKey" = $1 AND status = 'completed' ORDER BY "startedAt" DESC LIMIT 1`, [tk.targetKey]);
  const old = await sql.query<{ id: string }>(`SELECT id FROM troubleshooter."TroubleshootingRun" WHERE "targetKey" = $1 AND status = 'completed' AND "startedAt" < now() - interval '80 days' ORDER BY "startedAt" DESC LIMIT 1`, [tk.targetKey]);
  const group = await sql.query<{ id: string }>(`SELECT id FROM troubleshooter."IssueGroup" WHERE "targetKey" = $1 ORDER BY "runCount" DESC LIMIT 1`, [tk.targetKey]);
  const last = await sql.query<{ id: string; startedAt: Date }>(`SELECT id, "startedAt" FROM troubleshooter."TroubleshootingRun" ORDER BY "startedAt" DESC, id DESC OFFSET 39979 LIMIT 1`);
  const [recentRunId, oldRunId, groupId, cursor] = [recent.rows[0]?.id, old.rows[0]?.id ?? recent.rows[0]?.id, group.rows[0]?.id, last.rows[0]];
  if (!recentRunId || !oldRunId || !groupId || !cursor) throw new Error("the scale database has too few runs or no issue groups");
  const keys = await sql.query<{ targetKey: string }>(`SELECT "targetKey" FROM troubleshooter."Target" ORDER BY name`);
  return { targetKey: tk.targetKey, targetName: tk.name, targetKeys: keys.rows.map((r) => r.targetKey), recentRunId, oldRunId, groupId, cursor };
}

interface PlanFigures {
  ms: number;
  /** Sequential scans and the rows they read ("Issue 1080000"). */
  seqScans: string[];
  text: string;
}

interface PlanNode {
  "Node Type"?: string;
  "Relation Name"?: string;
  "Actual Rows"?: number;
  "Actual Loops"?: number;
  "Rows Removed by Filter"?: number;
  Plans?: PlanNode[];
}

function seqScansOf(node: PlanNode, out: string[] = []): string[] {
  if (node["Node Type"] === "Seq Scan" && node["Relation Name"]) {
    const read = Math.round(((node["Actual Rows"] ?? 0) + (node["Rows Removed by Filter"] ?? 0)) * (node["Actual Loops"] ?? 1));
    // A scan of a few thousand rows is what an index would cost too.
    if (read > 5_000) out.push(`${node["Relation Name"]} ${read}`);
  }
  for (const child of node.Plans ?? []) seqScansOf(child, out);
  return out;
}

/** Prisma's logged parameters: a JSON array; timestamps come as "2026-11-30 21:00:00 UTC"-like text that PostgreSQL reads. */
const paramsSchema = z.array(z.unknown()).catch([]);

async function explain(sql: pg.Client, q: CapturedQuery): Promise<PlanFigures | string> {
  // Arrays stay arrays (node-postgres sends them as PostgreSQL arrays); other objects are JSON.
  const params = paramsSchema.parse(JSON.parse(q.params || "[]")).map((v) => (v !== null && typeof v === "object" && !Array.isArray(v) ? JSON.stringify(v) : v));
  try {
    await sql.query("BEGIN READ ONLY");
    const json = await sql.query<{ "QUERY PLAN": [{ Plan: PlanNode; "Execution Time": number }] }>(`EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) ${q.query}`, params);
    const text = await sql.query<{ "QUERY PLAN": string }>(`EXPLAIN (ANALYZE, BUFFERS) ${q.query}`, params);
    const [plan] = json.rows[0]?.["QUERY PLAN"] ?? [];
    return { ms: plan?.["Execution Time"] ?? 0, seqScans: plan ? seqScansOf(plan.Plan) : [], text: text.rows.map((r) => r["QUERY PLAN"]).join("\n") };
  } catch (err) {
    return `could not explain: ${err instanceof Error ? err.message.split("\n")[0] : String(err)}`;
  } finally {
    await sql.query("ROLLBACK").catch(() => undefined);
  }
}

async function timeIt(work: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await work();
  return performance.now() - started;
}

const fmt = (ms: number) => (ms >= 100 ? String(Math.round(ms)) : ms.toFixed(1));
const oneLine = (query: string) => query.replace(/\s+/g, " ").trim();

async function benchQueries(url: string, ctx: ScaleContext, samples: number, sql: pg.Client) {
  const sink = { on: false, queries: [] as CapturedQuery[] };
  const prisma = capturingClient(url, sink);
  const rows: Record<string, string>[] = [];
  const statementRows: Record<string, string>[] = [];
  let slowest = 0;
  await writeFile(PLANS_FILE, `Plans of the scale bench's slow statements (${new Date().toISOString()})\n`);
  try {
    await prisma.$queryRaw`SELECT 1`; // connections
    for (const c of chosen(QUERIES)) {
      sink.queries = [];
      sink.on = true;
      await c.run(prisma, ctx); // warm-up, and the statements it sends
      sink.on = false;
      const times: number[] = [];
      for (let i = 0; i < samples; i++) times.push(await timeIt(() => c.run(prisma, ctx)));
      const [p50, p95] = [median(times), percentile(times, 0.95)];
      slowest = Math.max(slowest, p50);
      const statements = [...new Map(sink.queries.map((q) => [q.query + q.params, q])).values()];
      let worst = 0;
      const scans = new Set<string>();
      for (const q of statements) {
        const plan = await explain(sql, q);
        if (typeof plan === "string") {
          statementRows.push({ query: c.name, "plan ms": "?", statement: `${oneLine(q.query).slice(0, 110)} (${plan})` });
          continue;
        }
        worst = Math.max(worst, plan.ms);
        plan.seqScans.forEach((s) => scans.add(s));
        statementRows.push({ query: c.name, "plan ms": fmt(plan.ms), "seq scans": plan.seqScans.join(", "), statement: oneLine(q.query).slice(0, 110) });
        if (plan.ms >= 20) await appendFile(PLANS_FILE, `\n=== ${c.name}: ${fmt(plan.ms)} ms\n${oneLine(q.query)}\nparams: ${q.params}\n${plan.text}\n`);
      }
      rows.push({
        query: c.name, median: fmt(p50), p95: fmt(p95), statements: String(statements.length), "slowest plan": fmt(worst),
        "seq scans": [...scans].join(", "), [`< ${QUERY_GOAL_MS} ms`]: p50 < QUERY_GOAL_MS && worst < QUERY_GOAL_MS ? "pass" : "FAIL",
      });
      record("scale", `query:${c.name}`, { samples: times, median: p50, p95, slowestPlanMs: worst, seqScans: [...scans] });
    }
  } finally {
    await prisma.$disconnect();
  }
  textTable("scale", "queries", `Read models over the scale data: ${samples} calls after a warm-up (ms; "slowest plan" is EXPLAIN ANALYZE's execution time of its slowest statement)`, rows);
  textTable("scale", "statements", "Each statement under EXPLAIN (ANALYZE, BUFFERS) (ms); plans of those >= 20 ms in .data/bench-scale/plans.txt", statementRows);
  target("scale: slowest read-model median", Math.round(slowest), "ms", { below: QUERY_GOAL_MS });
}

async function signIn(base: string): Promise<string> {
  const csrf = await fetch(`${base}/api/auth/csrf`);
  const { csrfToken } = z.object({ csrfToken: z.string() }).parse(await csrf.json());
  const jar = csrf.headers.getSetCookie().map((c) => c.split(";")[0]).join("; ");
  const res = await fetch(`${base}/api/auth/callback/credentials`, {
    method: "POST", redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: jar },
    body: new URLSearchParams({ email: ADMIN.email, password: ADMIN.password, csrfToken }),
  });
  const session = res.headers.getSetCookie().map((c) => c.split(";")[0]).find((c) => c?.includes("session-token"));
  if (!session) throw new Error(`sign-in failed (${res.status})`);
  return `${jar}; ${session}`;
}

async function fetchMs(url: string, cookie: string): Promise<number> {
  const started = performance.now();
  const res = await fetch(url, { headers: { cookie }, redirect: "manual" });
  await res.text();
  if (res.status !== 200) throw new Error(`${url} answered ${res.status}`);
  return performance.now() - started;
}

async function benchServedPages(url: string, ctx: ScaleContext, samples: number) {
  const port = z.coerce.number().int().min(1).max(65535).default(3810).parse(process.env.BENCH_SCALE_PORT);
  if (!(await isPortFree(port))) throw new Error(`port ${port} is taken (BENCH_SCALE_PORT sets another)`);
  const base = `http://127.0.0.1:${port}`;
  const env = {
    ...process.env, NODE_ENV: "production" as const, DATABASE_URL: url, AUTH_SECRET: "scale-bench-auth-secret-".repeat(2), AUTH_URL: base,
    // Nothing is probed: pages only read the database. A closed port, should anything try.
    TARGET_BASE_URL: "http://127.0.0.1:9", TARGET_ENDPOINTS_PRESET: "none", LOG_LEVEL: "warn", NEXT_TELEMETRY_DISABLED: "1",
  };
  if (!hasBuild()) await buildNext(env);
  const next = runNext(["start", "--port", String(port), "--hostname", "127.0.0.1"], env, "pipe");
  const rows: Record<string, string>[] = [];
  let slowest = 0;
  try {
    await waitForPort(port, next);
    const cookie = await signIn(base);
    for (const page of chosen(PAGES)) {
      const href = `${base}${page.path(ctx)}`;
      await fetchMs(href, cookie); // warm-up: the route's first load
      const times: number[] = [];
      for (let i = 0; i < samples; i++) times.push(await fetchMs(href, cookie));
      const [p50, p95] = [median(times), percentile(times, 0.95)];
      slowest = Math.max(slowest, p50);
      rows.push({ page: page.name, path: page.path(ctx), median: fmt(p50), p95: fmt(p95), [`< ${PAGE_GOAL_MS} ms`]: p50 < PAGE_GOAL_MS ? "pass" : "FAIL" });
      record("scale", `page:${page.name}`, { samples: times, median: p50, p95 });
    }
  } finally {
    await stopChild(next);
  }
  textTable("scale", "pages", `Pages served by next start over the scale data, signed in as an admin: ${samples} GETs after a warm-up (ms, whole HTML)`, rows);
  target("scale: slowest page median", Math.round(slowest), "ms", { below: PAGE_GOAL_MS });
}

/** Only the cases whose name contains BENCH_SCALE_ONLY (case-insensitive), when it is set. */
const chosen = <T extends { name: string }>(cases: T[]) => cases.filter((c) => c.name.toLowerCase().includes((process.env.BENCH_SCALE_ONLY ?? "").toLowerCase()));

/** BENCH_SCALE_PART=queries|pages runs one half. */
export async function benchScale(runs: number): Promise<void> {
  const samples = Math.max(7, runs);
  await mkdir(path.dirname(PLANS_FILE), { recursive: true });
  const db = await openScaleDatabase();
  record("scale", "data", { sizes: db.sizes, counts: db.counts, generatedAt: db.generatedAt.toISOString(), generatedMs: db.generatedMs });
  const sql = new pg.Client({ connectionString: db.url });
  try {
    await sql.connect();
    const ctx = await contextOf(sql);
    const part = process.env.BENCH_SCALE_PART;
    if (part !== "pages") await benchQueries(db.url, ctx, samples, sql);
    if (part !== "queries") {
      const admin = await sql.query(`SELECT 1 FROM troubleshooter."User" WHERE email = $1`, [ADMIN.email]);
      if (admin.rowCount === 0) {
        const prisma = new GeneratedClient({ adapter: new PrismaPg({ connectionString: db.url }) });
        await createUser(prisma as unknown as PrismaClient, ADMIN).finally(() => prisma.$disconnect());
      }
      await benchServedPages(db.url, ctx, samples);
    }
  } finally {
    await sql.end();
    await db.server.stop();
  }
}
