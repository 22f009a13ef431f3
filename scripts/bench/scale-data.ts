// The scale bench's data: 50 stored targets, each run every hour for 90 days (108,000 runs), with
// ~10 findings per run (≈1,080,000 Issue rows) grouped into 40-80 IssueGroups per target, phase
// events, fixes for ~10 % of findings, ~20 CheckSamples per run, the per-day history rolled up by
// the real rollup, and monitoring rows (metrics, audit, alerts, tracked errors, logs).
//
// Everything is written with set-based SQL (INSERT ... SELECT over generate_series and small
// staging tables), never row by row: on 2 shared cores it takes minutes. The database lives in
// its own embedded PostgreSQL data folder, `.data/bench-scale/<key>/`, kept between bench runs:
// the key hashes the generator's version and the sizes, so a change here generates afresh, and a
// new migration is applied to the cached copy. Timestamps are relative to when it was generated (the newest
// run is within the last hour then), so a copy older than BENCH_SCALE_MAX_AGE_HOURS (default 12)
// is generated again: "the last 24 hours" must hold a day of runs. BENCH_SCALE_REGENERATE=1 forces it.
import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import pg from "pg";
import { z } from "zod";
import { createPrismaClient } from "../../lib/db";
import { CHECKS } from "../../lib/troubleshooting/checks";
import { FIX_ACTIONS } from "../../lib/troubleshooting/fixes";
import { rollUpEndedRuns } from "../../lib/troubleshooting/queries/rollup";
import { redactDatabaseUrl } from "../../lib/troubleshooting/probes/database";
import { PHASES } from "../../lib/troubleshooting/report";
import { type EmbeddedServer, freePort, startEmbeddedPostgres } from "../lib/embedded-postgres";
import { applyMigrations } from "../lib/migrations";

/** Bump when the generated data changes shape, so cached copies are not reused. */
const GENERATOR_VERSION = 1;

const sizesSchema = z.object({
  targets: z.coerce.number().int().min(2).max(500).default(50),
  days: z.coerce.number().int().min(2).max(365).default(90),
});
export type ScaleSizes = z.infer<typeof sizesSchema>;

/** BENCH_SCALE_TARGETS (default 50) and BENCH_SCALE_DAYS (default 90): smaller for a quick try. */
export const scaleSizes = (): ScaleSizes => sizesSchema.parse({ targets: process.env.BENCH_SCALE_TARGETS, days: process.env.BENCH_SCALE_DAYS });

/** Runs of the most recent hours get a full event log (~30 events); older ones keep the ~11
 * events the history and monitoring read (phase and bot timings, the run's end). */
const FULL_EVENT_HOURS = 100;
/** Issue-fed runs reports (`report` JSON) are kept for the latest two days of runs. */
const REPORT_HOURS = 48;
const DATABASE = "scale";

export interface ScaleDatabase {
  server: EmbeddedServer;
  url: string;
  /** Wall time of the generation (ms); null when a cached copy was reused. */
  generatedMs: number | null;
  generatedAt: Date;
  counts: Record<string, number>;
  sizes: ScaleSizes;
}

interface Manifest {
  generatedAt: string;
  generatedMs: number;
  counts: Record<string, number>;
}

/** The generator's version and the sizes: a cached database from other migrations is migrated
 * when reused (new tables and columns start empty; bump GENERATOR_VERSION to fill them). */
function cacheKey(sizes: ScaleSizes): string {
  return createHash("sha256").update(JSON.stringify({ version: GENERATOR_VERSION, sizes })).digest("hex").slice(0, 12);
}

/** Starts the embedded server on the cached data folder, generating the data first when the
 * cache is missing, stale or from other migrations. The caller stops `server`. */
export async function openScaleDatabase(log: (line: string) => void = console.log): Promise<ScaleDatabase> {
  const sizes = scaleSizes();
  const dir = path.resolve(".data/bench-scale", cacheKey(sizes));
  const manifestFile = path.join(dir, "manifest.json");
  const maxAgeHours = z.coerce.number().positive().default(12).parse(process.env.BENCH_SCALE_MAX_AGE_HOURS);
  let manifest: Manifest | null = existsSync(manifestFile) ? (JSON.parse(await readFile(manifestFile, "utf8")) as Manifest) : null;
  if (manifest && (process.env.BENCH_SCALE_REGENERATE === "1" || Date.now() - Date.parse(manifest.generatedAt) > maxAgeHours * 3_600_000)) manifest = null;
  if (!manifest) await rm(dir, { recursive: true, force: true });
  const server = await startEmbeddedPostgres({
    dataDir: path.join(dir, "pg"), port: await freePort(), password: "bench", persistent: true,
    // Enough memory for the generator's sorts and index builds; the bench reads with defaults otherwise.
    settings: { maintenance_work_mem: "256MB", work_mem: "16MB", max_wal_size: "4GB", checkpoint_timeout: "30min" },
  });
  const url = server.urlFor(DATABASE);
  if (manifest) {
    await applyMigrations(url);
    await topUp(url, log);
    log(`Scale data: reusing ${path.relative(process.cwd(), dir)} (generated ${manifest.generatedAt} in ${Math.round(manifest.generatedMs / 1000)} s)`);
    return { server, url, generatedMs: null, generatedAt: new Date(manifest.generatedAt), counts: manifest.counts, sizes };
  }
  try {
    await server.createDatabase(DATABASE);
    await applyMigrations(url);
    const started = performance.now();
    const generatedAt = new Date();
    const counts = await generate(url, sizes, log);
    await topUp(url, log);
    const generatedMs = performance.now() - started;
    await writeFile(manifestFile, `${JSON.stringify({ generatedAt: generatedAt.toISOString(), generatedMs, counts } satisfies Manifest, null, 2)}\n`);
    return { server, url, generatedMs, generatedAt, counts, sizes };
  } catch (err) {
    await server.stop();
    throw err;
  }
}

/** Staging rows for the targets: names, URLs and the key their runs carry (targetKeyOf's shape). */
function targetRows(count: number) {
  return Array.from({ length: count }, (_, i) => {
    const n = String(i + 1).padStart(2, "0");
    const baseUrl = `https://shop-${n}.example.com`;
    const databaseUrl = `postgresql://app@db-${n}.internal:5432/shop${n}`;
    return { t: i + 1, name: `shop-${n}`, baseUrl, databaseUrl, targetKey: `${new URL(baseUrl).origin}|${redactDatabaseUrl(databaseUrl).replace(/\/\/[^@]*@/, "//")}` };
  });
}

/** Fills the database; returns row counts per table. */
/** What a run or the rollup writes today that the generated rows lack (a copy generated before it
 * existed, or the generator's own runs, which record their build ids in bulk), written the way the
 * product would have: each step runs once, and finds its work done on later bench runs. */
async function topUp(url: string, log: (line: string) => void): Promise<void> {
  const sql = new pg.Client({ connectionString: url });
  await sql.connect();
  const steps: { name: string; done: string; work: string[] }[] = [
    {
      name: "the rollup's per-issue days",
      done: `SELECT 1 FROM troubleshooter."HistoryDaily" WHERE kind = 'group' LIMIT 1`,
      work: [`
        INSERT INTO troubleshooter."HistoryDaily" ("targetKey", day, kind, key, count, runs)
        SELECT r."targetKey", (r."startedAt" AT TIME ZONE 'UTC')::date, 'group', i."groupId", count(*), count(DISTINCT i."runId")
        FROM troubleshooter."Issue" i JOIN troubleshooter."TroubleshootingRun" r ON r.id = i."runId"
        WHERE i."groupId" IS NOT NULL AND r."rolledUpAt" IS NOT NULL GROUP BY 1, 2, 4
        ON CONFLICT DO NOTHING`],
    },
    {
      name: "the rollup's build id counts",
      done: `SELECT 1 FROM troubleshooter."HistoryDaily" WHERE kind = 'build_id' LIMIT 1`,
      work: [`
        INSERT INTO troubleshooter."HistoryDaily" ("targetKey", day, kind, key, count, runs)
        SELECT "targetKey", ("startedAt" AT TIME ZONE 'UTC')::date, 'build_id', '', count(*), count("buildId")
        FROM troubleshooter."TroubleshootingRun" WHERE "rolledUpAt" IS NOT NULL GROUP BY 1, 2
        ON CONFLICT DO NOTHING`],
    },
    {
      name: "each run's previous build (deploys)",
      done: `SELECT 1 FROM troubleshooter."TroubleshootingRun" WHERE "previousBuildId" IS NOT NULL LIMIT 1`,
      work: [`
        UPDATE troubleshooter."TroubleshootingRun" r SET "previousBuildId" = p.previous, "afterDeploy" = p.previous IS NOT NULL AND p.previous <> r."buildId"
        FROM (SELECT id, lag("buildId") OVER (PARTITION BY "targetKey" ORDER BY "startedAt") AS previous
              FROM troubleshooter."TroubleshootingRun" WHERE "buildId" IS NOT NULL) p
        WHERE p.id = r.id AND p.previous IS NOT NULL`,
        `VACUUM (ANALYZE) troubleshooter."TroubleshootingRun"`],
    },
  ];
  try {
    for (const step of steps) {
      if ((await sql.query(step.done)).rows.length > 0) continue;
      const started = performance.now();
      for (const statement of step.work) await sql.query(statement);
      log(`Scale data: added ${step.name} in ${Math.round((performance.now() - started) / 1000)} s`);
    }
    await sql.query(`ANALYZE troubleshooter."HistoryDaily"`);
  } finally {
    await sql.end();
  }
}

export async function generate(url: string, sizes: ScaleSizes, log: (line: string) => void): Promise<Record<string, number>> {
  const sql = new pg.Client({ connectionString: url });
  await sql.connect();
  const step = async (name: string, text: string, values: unknown[] = []) => {
    const started = performance.now();
    const res = await sql.query(text, values);
    log(`  ${name}: ${res.rowCount ?? 0} rows, ${((performance.now() - started) / 1000).toFixed(1)} s`);
  };
  try {
    await sql.query("SET synchronous_commit = off");
    const targets = targetRows(sizes.targets);
    const hours = sizes.days * 24;
    log(`Generating scale data: ${sizes.targets} targets × ${hours} hourly runs`);
    await sql.query(`CREATE TEMP TABLE s_targets AS SELECT * FROM unnest($1::int[], $2::text[], $3::text[], $4::text[], $5::text[]) AS x(t, name, base_url, database_url, target_key)`, [
      targets.map((x) => x.t), targets.map((x) => x.name), targets.map((x) => x.baseUrl), targets.map((x) => x.databaseUrl), targets.map((x) => x.targetKey),
    ]);
    await sql.query(`ALTER TABLE s_targets ADD COLUMN id text, ADD COLUMN groups int, ADD COLUMN base_score int, ADD COLUMN vercel boolean`);
    // 40-80 problems per target; a base score per target (55-94) so the fleet is not uniform.
    await sql.query(`UPDATE s_targets SET id = 'ct' || substr(md5('target' || t), 1, 23), groups = 40 + (t * 7) % 41, base_score = 55 + (t * 37) % 40, vercel = t % 2 = 0`);
    // The real check catalogue (codes and domains) and which fix addresses which check.
    const checks = CHECKS.map((c, i) => ({ i, code: c.code, domain: c.domain }));
    await sql.query(`CREATE TEMP TABLE s_codes AS SELECT * FROM unnest($1::int[], $2::text[], $3::text[]) AS x(i, code, domain)`, [checks.map((c) => c.i), checks.map((c) => c.code), checks.map((c) => c.domain)]);
    const fixes = FIX_ACTIONS.flatMap((f) => f.addresses.map((code) => ({ code, fix: f.code, risk: f.risk, title: f.title })));
    await sql.query(`CREATE TEMP TABLE s_fixes AS SELECT DISTINCT ON (code) * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[]) AS x(code, fix, risk, title) ORDER BY code, fix`, [
      fixes.map((f) => f.code), fixes.map((f) => f.fix), fixes.map((f) => f.risk), fixes.map((f) => f.title),
    ]);

    await step("Target", `
      INSERT INTO troubleshooter."Target" (id, name, "baseUrl", "databaseUrl", "sealedSecrets", endpoints, pages, domains, "scheduleMinutes", "nextRunAt", "alertChannelIds", "targetKey", "createdAt", "updatedAt")
      SELECT id, name, base_url, database_url, NULL, ARRAY['/api/health', '/api/products', '/api/cart'], ARRAY['/', '/products', '/cart', '/checkout', '/account'],
             '{}', 60, date_trunc('hour', now()) + interval '1 hour', '{}', target_key, now() - interval '1 day' * ($1 + 1), now()
      FROM s_targets`, [sizes.days]);

    // 64 check-result lists of the real shape (code, domain, status, durationMs, reason/note),
    // reused by the runs: 0-47 full runs, 48-63 web-only runs (other domains skipped, as diagnose.ts writes them).
    await sql.query(`
      CREATE TEMP TABLE s_checks AS
      SELECT v, jsonb_agg(CASE
          WHEN v >= 48 AND c.domain <> 'web' THEN jsonb_build_object('code', c.code, 'domain', c.domain, 'status', 'skipped', 'durationMs', 0, 'reason', 'domain not selected for this run')
          WHEN x.h % 31 = 0 THEN jsonb_build_object('code', c.code, 'domain', c.domain, 'status', 'skipped', 'durationMs', 0, 'reason', 'needs pg_monitor to read other sessions')
          WHEN x.h % 53 = 0 THEN jsonb_build_object('code', c.code, 'domain', c.domain, 'status', 'error', 'durationMs', 10000, 'reason', 'timed out after 10000 ms')
          ELSE jsonb_build_object('code', c.code, 'domain', c.domain, 'status', CASE WHEN x.h % 7 = 0 THEN 'issues' ELSE 'passed' END,
                                  'durationMs', 5 + x.h % 900, 'note', 'checked ' || (1 + x.h % 12) || ' of ' || (1 + x.h % 12) || ' items')
        END ORDER BY c.i) AS checks
      FROM generate_series(0, 63) v CROSS JOIN s_codes c CROSS JOIN LATERAL (SELECT abs(hashtext(v || ':' || c.code)) AS h) x
      GROUP BY v`);

    // One row per run: g numbers them, h is hours before the newest (0 = newest), t the target.
    await step("staging runs", `
      CREATE TEMP TABLE s_runs AS
      SELECT g, t.t, h, t.id AS target_id, t.target_key, t.base_url, t.database_url, t.vercel, t.groups,
             'cr' || substr(md5('run' || g), 1, 23) AS id,
             date_trunc('hour', now()) - interval '1 hour' * (h + 1) + interval '1 second' * ((t.t * 53) % 3600) AS started_at,
             CASE WHEN h = 0 AND t.t = 1 THEN 'running'
                  WHEN h = t.t % 5 AND t.t % 10 = 2 THEN 'awaiting_approval'
                  WHEN abs(hashtext('s' || g)) % 41 = 0 THEN 'failed'
                  WHEN abs(hashtext('s' || g)) % 67 = 0 THEN 'cancelled'
                  ELSE 'completed' END AS status,
             g % 10 = 3 AS web_only,
             20000 + abs(hashtext('d' || g)) % 40000 AS duration_ms,
             least(100, greatest(0, t.base_score + abs(hashtext('a' || g)) % 21 - 10)) AS score,
             -- A new build every 40-55 hours per target (a deploy about every two days).
             (h + t.t * 11) / (40 + t.t % 16) AS build_no
      FROM s_targets t CROSS JOIN generate_series(0, $1 - 1) h CROSS JOIN LATERAL (SELECT h * $2 + t.t - 1 AS g) n`, [hours, sizes.targets]);
    await sql.query(`CREATE INDEX ON s_runs (t, h)`);
    await sql.query(`ANALYZE s_runs`);

    await step("TroubleshootingRun", `
      INSERT INTO troubleshooter."TroubleshootingRun" (id, status, trigger, "requestedByEmail", target, "targetKey", config, "healthScoreBefore", "healthScoreAfter",
        "startedAt", "finishedAt", "durationMs", summary, report, "statusReason", "eventSeq", "heartbeatAt", checks, llm, recommendations, "healthByDomain",
        "targetId", "buildId", "deploymentId", "deploymentUrl", "commitSha", "commitMessage")
      SELECT r.id, r.status::troubleshooter."RunStatus",
             (CASE WHEN r.g % 25 = 0 THEN 'manual' WHEN r.g % 31 = 0 THEN 'api' WHEN r.g % 37 = 0 THEN 'cli' ELSE 'cron' END)::troubleshooter."RunTrigger",
             CASE WHEN r.g % 25 = 0 THEN 'admin@example.com' END,
             jsonb_build_object('baseUrl', r.base_url, 'database', r.database_url, 'endpoints', jsonb_build_array(r.base_url || '/api/health', r.base_url || '/api/products', r.base_url || '/api/cart')),
             r.target_key,
             jsonb_build_object('domains', CASE WHEN r.web_only THEN '["web"]'::jsonb ELSE '["web","database","network"]'::jsonb END, 'initialIssue', NULL, 'autoApprove', 'safe'),
             CASE WHEN r.status IN ('completed', 'awaiting_approval') THEN greatest(0, r.score - r.g % 8) END,
             CASE WHEN r.status = 'completed' THEN r.score END,
             r.started_at,
             CASE WHEN r.status IN ('completed', 'failed', 'cancelled') THEN r.started_at + interval '1 millisecond' * r.duration_ms END,
             CASE WHEN r.status IN ('completed', 'failed', 'cancelled') THEN r.duration_ms END,
             CASE WHEN r.status IN ('completed', 'failed', 'cancelled') THEN
               'Health ' || r.score || '/100 after the run (' || greatest(0, r.score - r.g % 8) || ' before). 10 issues found: ' || (r.g % 3) || ' critical, ' || (2 + r.g % 3) ||
               ' high, the rest medium or low. ' || (r.g % 2) || ' fix applied and verified; ' || (r.g % 3) || ' recommendations need a person (rollback, index, configuration).' END,
             CASE WHEN r.h < $1 AND r.status IN ('completed', 'failed', 'cancelled') THEN jsonb_build_object(
               'runId', r.id, 'status', r.status, 'summary', 'Health ' || r.score || '/100.', 'checks', c.checks,
               'recommendations', (SELECT jsonb_agg('Look at finding ' || n || ': the check saw the same problem on ' || n || ' of the last runs; see its evidence and the planned fix.') FROM generate_series(1, 12) n),
               'healthScore', jsonb_build_object('before', greatest(0, r.score - r.g % 8), 'after', r.score)) END,
             CASE WHEN r.status = 'failed' THEN 'the target database was unreachable: connect ECONNREFUSED' WHEN r.status = 'cancelled' THEN 'cancelled by admin@example.com' END,
             CASE WHEN r.h < $2 THEN 30 ELSE 11 END,
             CASE WHEN r.status IN ('completed', 'failed', 'cancelled') THEN r.started_at + interval '1 millisecond' * r.duration_ms ELSE now() END,
             c.checks, '{"used": false}'::jsonb,
             '["Roll back to the previous deployment", "Add the missing index concurrently"]'::jsonb,
             CASE WHEN r.web_only THEN jsonb_build_object('web', jsonb_build_object('before', r.score - 3, 'after', r.score), 'database', jsonb_build_object('before', NULL, 'after', NULL), 'network', jsonb_build_object('before', NULL, 'after', NULL))
                  ELSE jsonb_build_object('web', jsonb_build_object('before', r.score - 3, 'after', least(100, r.score + 4)), 'database', jsonb_build_object('before', r.score - 5, 'after', greatest(0, r.score - 6)),
                                          'network', jsonb_build_object('before', r.score, 'after', least(100, r.score + 2))) END,
             r.target_id, substr(md5(r.t || ':' || r.build_no), 1, 21),
             CASE WHEN r.vercel THEN 'dpl_' || substr(md5('dpl' || r.t || ':' || r.build_no), 1, 24) END,
             CASE WHEN r.vercel THEN 'https://shop-' || lpad(r.t::text, 2, '0') || '-' || substr(md5('u' || r.build_no), 1, 9) || '.vercel.app' END,
             CASE WHEN r.vercel THEN md5('sha' || r.t || ':' || r.build_no) || substr(md5('x' || r.build_no), 1, 8) END,
             CASE WHEN r.vercel THEN 'Release ' || r.build_no || ': checkout fixes and dependency updates' END
      FROM s_runs r JOIN s_checks c ON c.v = CASE WHEN r.web_only THEN 48 + r.g % 16 ELSE r.g % 48 END`, [REPORT_HOURS, FULL_EVENT_HOURS]);

    // Problems per target: a code from the real catalogue and a subject of the kind the check names.
    await step("IssueGroup", `
      INSERT INTO troubleshooter."IssueGroup" (id, "targetKey", code, subject, domain, severity, title, "firstSeenAt", "lastSeenAt", "firstRunId", "lastRunId", "runCount", state)
      SELECT 'cg' || substr(md5('group' || t.t || ':' || k), 1, 23), t.target_key, c.code,
             CASE c.domain WHEN 'web' THEN t.base_url || '/products/item-' || k WHEN 'network' THEN t.base_url || '/api/v1/resource-' || k ELSE 'public.table_' || k END,
             c.domain::troubleshooter."Domain",
             (ARRAY['critical', 'high', 'high', 'medium', 'medium', 'medium', 'low', 'low', 'info'])[1 + abs(hashtext('sev' || t.t || ':' || k)) % 9]::troubleshooter."Severity",
             initcap(replace(split_part(c.code, '.', 2), '_', ' ')), now(), now(), '', '', 0, 'open'
      FROM s_targets t CROSS JOIN generate_series(0, 80) k JOIN s_codes c ON c.i = (t.t * 13 + k * 7) % (SELECT count(*) FROM s_codes)
      WHERE k < t.groups`);

    // ~10 findings per run: problems 0 and 1 of the target are chronic (every run); the other 8
    // rotate through the rest, each seen for ~60 hours then gone, and back some days later.
    await step("Issue", `
      INSERT INTO troubleshooter."Issue" (id, "runId", code, domain, severity, title, description, evidence, status, "detectedBy", rank, "relatedIds", recommendation, "createdAt", "groupId")
      SELECT 'ci' || substr(md5(r.id || ':' || j), 1, 23), r.id, gr.code, gr.domain, gr.severity, gr.title || ' on ' || gr.subject,
             'The check ' || gr.code || ' found a problem with ' || gr.subject || ' in this run; it compares what it measured with its documented threshold and records both as evidence.',
             jsonb_build_object('subject', gr.subject, 'observed', 200 + abs(hashtext(r.id || j)) % 3000, 'threshold', 800, 'unit', 'ms', 'samples', 5,
                                'detail', 'measured ' || (1 + j) || ' times; the median is above the threshold'),
             (CASE WHEN abs(hashtext('f' || r.id || j)) % 10 = 0 THEN CASE WHEN abs(hashtext('v' || r.id || j)) % 4 = 0 THEN 'unresolved' ELSE 'resolved' END
                   WHEN abs(hashtext('f' || r.id || j)) % 10 = 1 AND r.h < 72 THEN 'acknowledged' ELSE 'open' END)::troubleshooter."IssueStatus",
             gr.domain || '-diagnostic', j + 1, '{}',
             'See the planned fix, or follow the advice: ' || gr.title || ' usually comes from the last deploy or a missing index.',
             r.started_at + interval '1 second' * (20 + j), gr.id
      FROM s_runs r CROSS JOIN generate_series(0, 9) j
      JOIN troubleshooter."IssueGroup" gr ON gr.id = 'cg' || substr(md5('group' || r.t || ':' || CASE WHEN j < 2 THEN j ELSE 2 + (r.h / 6 + j - 2) % (r.groups - 2) END), 1, 23)`);

    await step("IssueGroup seen/runs", `
      WITH s AS (
        SELECT "groupId" AS id, min("createdAt") AS first_seen, max("createdAt") AS last_seen, count(*) AS runs,
               (array_agg("runId" ORDER BY "createdAt"))[1] AS first_run, (array_agg("runId" ORDER BY "createdAt" DESC))[1] AS last_run,
               (array_agg(severity ORDER BY "createdAt" DESC))[1] AS severity
        FROM troubleshooter."Issue" GROUP BY "groupId"
      )
      UPDATE troubleshooter."IssueGroup" g SET "firstSeenAt" = s.first_seen, "lastSeenAt" = s.last_seen, "runCount" = s.runs, "firstRunId" = s.first_run, "lastRunId" = s.last_run,
        severity = s.severity
      FROM s WHERE s.id = g.id`);
    // Problems the rotation never reached in the period (short periods only) were never seen.
    await step("IssueGroup never seen", `DELETE FROM troubleshooter."IssueGroup" WHERE "runCount" = 0`);
    // States an admin set, and what the rotation implies: not seen for two days is resolved; some
    // came back after being resolved (regressions); the build ids around the first sighting.
    await step("IssueGroup states", `
      UPDATE troubleshooter."IssueGroup" g SET
        state = CASE WHEN g."lastSeenAt" < now() - interval '2 days' THEN 'resolved'
                     WHEN abs(hashtext(g.id)) % 10 = 0 THEN 'acknowledged'
                     WHEN abs(hashtext(g.id)) % 10 = 1 THEN 'snoozed'
                     WHEN abs(hashtext(g.id)) % 10 = 2 THEN 'ignored' ELSE 'open' END,
        "snoozedUntil" = CASE WHEN g."lastSeenAt" >= now() - interval '2 days' AND abs(hashtext(g.id)) % 10 = 1 THEN now() + interval '1 day' END,
        "ignoredReason" = CASE WHEN g."lastSeenAt" >= now() - interval '2 days' AND abs(hashtext(g.id)) % 10 = 2 THEN 'known: the vendor''s widget, tracked in their queue' END,
        "stateByEmail" = CASE WHEN abs(hashtext(g.id)) % 10 < 3 OR g."lastSeenAt" < now() - interval '2 days' THEN 'admin@example.com' END,
        "stateAt" = CASE WHEN abs(hashtext(g.id)) % 10 < 3 OR g."lastSeenAt" < now() - interval '2 days' THEN g."lastSeenAt" END,
        "regressedAt" = CASE WHEN g."runCount" > 200 AND g."lastSeenAt" >= now() - interval '2 days' AND abs(hashtext(g.id)) % 4 = 0 THEN g."lastSeenAt" - interval '2 hours' END,
        regressions = CASE WHEN g."runCount" > 200 THEN abs(hashtext(g.id)) % 4 ELSE 0 END,
        -- The first sighting's build and the build of the run before it (same formula as the runs').
        "firstBuildId" = substr(md5(r.t || ':' || r.build_no), 1, 21),
        "previousBuildId" = substr(md5(p.t || ':' || p.build_no), 1, 21)
      FROM s_runs r LEFT JOIN s_runs p ON p.t = r.t AND p.h = r.h + 1
      WHERE r.id = g."firstRunId"`);

    // Fixes for the ~10 % of findings marked resolved/unresolved, plus one awaiting a decision per
    // run that waits for approval.
    await step("FixAction", `
      INSERT INTO troubleshooter."FixAction" (id, "runId", "issueId", code, title, risk, status, "needsApproval", "decidedByEmail", "decidedAt", params, result, detail, verified, "createdAt", "updatedAt")
      SELECT 'cf' || substr(md5(i.id), 1, 23), i."runId", i.id, f.fix, f.title, f.risk::troubleshooter."FixRisk",
             (CASE WHEN i.status = 'resolved' THEN 'applied' WHEN abs(hashtext(i.id)) % 2 = 0 THEN 'failed' ELSE 'rejected' END)::troubleshooter."FixStatus",
             f.risk = 'needs_approval', CASE WHEN f.risk = 'needs_approval' THEN 'admin@example.com' END,
             CASE WHEN f.risk = 'needs_approval' THEN i."createdAt" + interval '4 minutes' END,
             jsonb_build_object('subject', i.evidence->>'subject'), CASE WHEN i.status = 'resolved' THEN '{"ok": true}'::jsonb END,
             CASE WHEN i.status = 'resolved' THEN 'applied; the re-probe no longer sees the problem' ELSE 'the re-probe still sees the problem' END,
             i.status = 'resolved', i."createdAt" + interval '30 seconds', i."createdAt" + interval '1 minute' * (2 + abs(hashtext(i.id)) % 9)
      FROM troubleshooter."Issue" i LEFT JOIN s_fixes x ON x.code = i.code
      CROSS JOIN LATERAL (SELECT coalesce(x.fix, CASE i.domain WHEN 'web' THEN 'web.revalidate_paths' WHEN 'network' THEN 'net.reprobe_transient' ELSE 'db.analyze_table' END) AS fix,
                                 coalesce(x.risk, 'safe') AS risk, coalesce(x.title, 'Re-check and refresh') AS title) f
      WHERE i.status IN ('resolved', 'unresolved')`);
    await step("FixAction awaiting", `
      INSERT INTO troubleshooter."FixAction" (id, "runId", "issueId", code, title, risk, status, "needsApproval", params, "createdAt", "updatedAt")
      SELECT 'cp' || substr(md5(i.id), 1, 23), i."runId", i.id, 'db.create_index_concurrently', 'Create the missing index concurrently', 'needs_approval', 'pending_approval', true, '{}', i."createdAt", i."createdAt"
      FROM s_runs r JOIN troubleshooter."Issue" i ON i."runId" = r.id AND i.rank = 1 WHERE r.status = 'awaiting_approval'`);

    // Events: every run keeps its phase and bot timings and its end (what history and monitoring
    // read); the latest FULL_EVENT_HOURS hours of runs have the whole log, findings included.
    // seq: 1 queued, 2 started, 3-6 the first two phases, 7 diagnostics started, 8-17 findings,
    // 18-20 the bots, 21 diagnostics completed, 22-29 the last four phases, 30 the run's end.
    const phaseRows = PHASES.map((phase, i) => {
      const started = i <= 2 ? 3 + 2 * i : 16 + 2 * i;
      return { phase, started, completed: phase === "diagnostics" ? 21 : started + 1 };
    });
    await sql.query(`CREATE TEMP TABLE s_events (seq int, phase text, type text, bot text, full_only boolean)`);
    await sql.query(`INSERT INTO s_events VALUES (1, 'initialization', 'run_queued', NULL, true), (2, 'initialization', 'run_started', NULL, true),
      (18, 'diagnostics', 'phase_completed', 'web-diagnostic', false), (19, 'diagnostics', 'phase_completed', 'database-diagnostic', false),
      (20, 'diagnostics', 'phase_completed', 'network-diagnostic', false), (30, 'final_report', 'run_end', NULL, false)`);
    for (const row of phaseRows) {
      await sql.query(`INSERT INTO s_events VALUES ($1, $2, 'phase_started', NULL, true), ($3, $2, 'phase_completed', NULL, false)`, [row.started, row.phase, row.completed]);
    }
    await step("RunEvent", `
      INSERT INTO troubleshooter."RunEvent" ("runId", seq, phase, type, payload, "createdAt")
      SELECT r.id, e.seq, e.phase,
             CASE WHEN e.type <> 'run_end' THEN e.type WHEN r.status = 'completed' THEN 'run_completed' WHEN r.status = 'failed' THEN 'run_failed' ELSE 'run_cancelled' END,
             CASE WHEN e.type = 'phase_completed' AND e.bot IS NOT NULL THEN jsonb_build_object('phase', e.phase, 'bot', e.bot, 'durationMs', 500 + abs(hashtext(r.id || e.seq)) % 15000)
                  WHEN e.type = 'phase_completed' THEN jsonb_build_object('phase', e.phase, 'durationMs', 50 + abs(hashtext(r.id || e.seq)) % 8000)
                  WHEN e.type = 'phase_started' THEN jsonb_build_object('phase', e.phase)
                  WHEN e.type = 'run_end' THEN jsonb_build_object('status', r.status, 'healthScore', r.score)
                  ELSE jsonb_build_object('trigger', 'cron') END,
             r.started_at + interval '1 millisecond' * (r.duration_ms * e.seq / 30)
      FROM s_runs r JOIN s_events e ON (NOT e.full_only OR r.h < $1) AND (e.type <> 'run_end' OR r.status IN ('completed', 'failed', 'cancelled'))`, [FULL_EVENT_HOURS]);
    await step("RunEvent findings", `
      INSERT INTO troubleshooter."RunEvent" ("runId", seq, phase, type, payload, "createdAt")
      SELECT i."runId", 7 + i.rank, 'diagnostics', 'issue_found', jsonb_build_object('issueId', i.id, 'code', i.code, 'domain', i.domain, 'severity', i.severity, 'title', i.title), i."createdAt"
      FROM s_runs r JOIN troubleshooter."Issue" i ON i."runId" = r.id WHERE r.h < $1`, [FULL_EVENT_HOURS]);
    await step("RunEvent approvals", `
      INSERT INTO troubleshooter."RunEvent" ("runId", seq, phase, type, payload, "createdAt")
      SELECT r.id, 31, 'resolution', 'approval_required', jsonb_build_object('actions', 1), r.started_at + interval '20 seconds' FROM s_runs r WHERE r.status = 'awaiting_approval'`);

    // Per-check history: each endpoint and page probed (with its latency) and 12 checks per run,
    // rotating through the catalogue (20 samples per run).
    await step("CheckSample", `
      INSERT INTO troubleshooter."CheckSample" ("targetKey", "runId", code, subject, outcome, "latencyMs", at)
      SELECT r.target_key, r.id, p.code, r.base_url || p.path,
             CASE WHEN x.h % 50 = 0 THEN 'failed' WHEN x.h % 197 = 0 THEN 'error' ELSE 'passed' END,
             CASE WHEN x.h % 197 = 0 THEN NULL ELSE 40 + x.h % 400 + CASE WHEN x.h % 23 = 0 THEN 1500 ELSE 0 END END,
             r.started_at + interval '1 second' * (5 + p.n)
      FROM s_runs r
      CROSS JOIN (VALUES (0, 'probe.endpoint', '/api/health'), (1, 'probe.endpoint', '/api/products'), (2, 'probe.endpoint', '/api/cart'),
                         (3, 'probe.page', '/'), (4, 'probe.page', '/products'), (5, 'probe.page', '/cart'), (6, 'probe.page', '/checkout'), (7, 'probe.page', '/account')) p(n, code, path)
      CROSS JOIN LATERAL (SELECT abs(hashtext(r.id || p.n)) AS h) x
      WHERE r.status <> 'running'
      UNION ALL
      SELECT r.target_key, r.id, c.code, '', CASE WHEN x.h % 7 = 0 THEN 'failed' WHEN x.h % 61 = 0 THEN 'error' WHEN x.h % 31 = 0 THEN 'skipped' ELSE 'passed' END,
             NULL, r.started_at + interval '1 second' * (15 + m)
      FROM s_runs r CROSS JOIN generate_series(0, 11) m
      JOIN s_codes c ON c.i = (r.h + m * 5) % (SELECT count(*) FROM s_codes)
      CROSS JOIN LATERAL (SELECT abs(hashtext(r.id || c.code)) AS h) x
      WHERE r.status <> 'running'`);

    // Monitoring rows: the bots' operation timings, audit trail, alerts, tracked errors, logs.
    await step("MetricSample", `
      INSERT INTO troubleshooter."MetricSample" ("runId", name, domain, value, labels, "recordedAt")
      SELECT r.id, 'operation_ms', d::troubleshooter."Domain", 300 + abs(hashtext(r.id || d)) % 12000,
             jsonb_build_object('botName', d || '-diagnostic', 'botType', 'diagnostic', 'operation', 'diagnose', 'outcome', 'ok'), r.started_at + interval '10 seconds'
      FROM s_runs r CROSS JOIN unnest(ARRAY['web', 'database', 'network']) d`);
    await step("AuditLog", `
      INSERT INTO troubleshooter."AuditLog" ("actorId", "actorEmail", action, "targetType", "targetId", detail, "createdAt")
      SELECT 'cu' || (g % 5), 'admin' || (g % 5) || '@example.com',
             (ARRAY['run.started', 'fix.approved', 'fix.rejected', 'issue.acknowledged', 'issue.snoozed', 'issue.resolved', 'target.updated', 'alert_channel.tested'])[1 + g % 8],
             'run', 'cr' || substr(md5('run' || (g * 7) % ($1 * 24 * $2)), 1, 23), jsonb_build_object('note', 'from the dashboard'),
             now() - interval '1 minute' * ((g * 6481) % ($1 * 24 * 60))
      FROM generate_series(1, 25000) g`, [sizes.days, sizes.targets]);
    await step("Alert", `
      INSERT INTO troubleshooter."Alert" (id, kind, severity, "dedupeKey", title, message, "runId", "createdAt", status, attempts, "deliveredAt", repeats, "lastSeenAt")
      SELECT 'ca' || substr(md5(r.id), 1, 23), CASE WHEN r.status = 'failed' THEN 'run_failed' ELSE 'critical_issue' END,
             CASE WHEN r.status = 'failed' THEN 'critical' ELSE 'warning' END, r.target_key || ':' || r.status, 'Run ' || r.status || ' on shop-' || lpad(r.t::text, 2, '0'),
             'The run ended ' || r.status || '; see its report.', r.id, r.started_at + interval '1 minute',
             CASE WHEN r.g % 50 = 0 THEN 'failed' ELSE 'sent' END, 1, r.started_at + interval '1 minute', r.g % 3, r.started_at + interval '1 minute'
      FROM s_runs r WHERE r.status = 'failed' OR (r.status = 'completed' AND r.score < 50 AND r.g % 3 = 0)`);
    await step("TrackedError", `
      INSERT INTO troubleshooter."TrackedError" (at, category, source, code, "botName", message, "runId")
      SELECT r.started_at + interval '5 seconds', (ARRAY['timeout', 'connection', 'auth', 'validation', 'target', 'internal'])[1 + r.g % 6], 'check',
             c.code, c.domain || '-diagnostic', 'check ' || c.code || ' failed: timed out after 10000 ms', r.id
      FROM s_runs r JOIN s_codes c ON c.i = r.g % (SELECT count(*) FROM s_codes) WHERE r.g % 3 = 0`);
    await step("LogEntry", `
      INSERT INTO troubleshooter."LogEntry" (at, level, msg, component, "runId", "correlationId", data)
      SELECT now() - interval '1 second' * g * 7, CASE WHEN g % 20 = 0 THEN 50 WHEN g % 5 = 0 THEN 40 ELSE 30 END, 'phase completed', 'workflow',
             'cr' || substr(md5('run' || g), 1, 23), md5('c' || g), jsonb_build_object('phase', 'diagnostics', 'durationMs', g % 9000)
      FROM generate_series(1, 10000) g`);
  } finally {
    await sql.end();
  }

  // The per-day history through the real rollup (what ended runs get in production).
  const prisma = createPrismaClient(url);
  try {
    const started = performance.now();
    const rolled = await rollUpEndedRuns(prisma);
    log(`  HistoryDaily (rollUpEndedRuns over ${rolled} ended runs): ${((performance.now() - started) / 1000).toFixed(1)} s`);
  } finally {
    await prisma.$disconnect();
  }
  const sql2 = new pg.Client({ connectionString: url });
  await sql2.connect();
  try {
    const started = performance.now();
    // As autovacuum would leave a table that has settled: statistics, and a visibility map for index-only scans.
    await sql2.query("VACUUM (ANALYZE)");
    log(`  VACUUM (ANALYZE): ${((performance.now() - started) / 1000).toFixed(1)} s`);
    const tables = ["Target", "TroubleshootingRun", "Issue", "IssueGroup", "FixAction", "RunEvent", "CheckSample", "HistoryDaily", "MetricSample", "AuditLog", "Alert", "TrackedError", "LogEntry"];
    const counts: Record<string, number> = {};
    for (const table of tables) {
      const res = await sql2.query<{ n: string }>(`SELECT count(*) AS n FROM troubleshooter."${table}"`);
      counts[table] = Number(res.rows[0]?.n ?? 0);
    }
    const size = await sql2.query<{ size: string }>(`SELECT pg_size_pretty(pg_database_size(current_database())) AS size`);
    log(`  rows: ${Object.entries(counts).map(([t, n]) => `${t} ${n.toLocaleString("en")}`).join(", ")}; database ${size.rows[0]?.size}`);
    return counts;
  } finally {
    await sql2.end();
  }
}
