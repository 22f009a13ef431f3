// The dashboard served by the built app (`next start`) over 10,000 stored runs: server-render time
// of the overview and history pages, the runs API, and how soon the first event of a new run
// reaches an SSE subscriber after the run is started. Signs in through Auth.js's own endpoints.
import { createUser } from "../../lib/standalone/auth/users";
import { createPrismaClient } from "../../lib/db";
import { isActiveRun } from "../../lib/troubleshooting/report";
import { rollUpEndedRuns } from "../../lib/troubleshooting/queries/rollup";
import { type EmbeddedServer, freePort } from "../lib/embedded-postgres";
import { applyMigrations } from "../lib/migrations";
import { buildNext, hasBuild, runNext, stopChild, waitForPort } from "../lib/next-process";
import { startFaultSite } from "../../fixtures/test/fault-site";
import { seedDashboard } from "./dashboard";
import { table } from "./table";

const ADMIN = { email: "bench-admin@example.com", password: "bench-password-123", role: "ADMIN" as const };

async function signIn(base: string): Promise<string> {
  const csrf = await fetch(`${base}/api/auth/csrf`);
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const jar = csrf.headers.getSetCookie().map((c) => c.split(";")[0]).join("; ");
  const res = await fetch(`${base}/api/auth/callback/credentials`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: jar },
    body: new URLSearchParams({ email: ADMIN.email, password: ADMIN.password, csrfToken }),
  });
  const session = res.headers.getSetCookie().map((c) => c.split(";")[0]).find((c) => c?.includes("session-token"));
  if (!session) throw new Error(`sign-in failed (${res.status})`);
  return `${jar}; ${session}`;
}

async function timed(url: string, cookie: string): Promise<number> {
  const started = performance.now();
  const res = await fetch(url, { headers: { cookie } });
  await res.text();
  if (!res.ok) throw new Error(`${url} answered ${res.status}`);
  return performance.now() - started;
}

/** From the 202 of POST /runs to the first event of that run arriving on its SSE stream. */
async function firstEventMs(base: string, cookie: string): Promise<number> {
  const started = await fetch(`${base}/api/admin/bots/runs`, { method: "POST", headers: { cookie, "content-type": "application/json" }, body: JSON.stringify({ domains: ["web"] }) });
  const t0 = performance.now();
  const { runId } = (await started.json()) as { runId: string };
  const stream = await fetch(`${base}/api/admin/bots/runs/${runId}/events`, { headers: { cookie } });
  const reader = (stream.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  let text = "";
  while (!/^id: /m.test(text)) {
    const { done, value } = await reader.read();
    if (done) throw new Error("the stream ended before any event");
    text += decoder.decode(value, { stream: true });
  }
  const ms = performance.now() - t0;
  await reader.cancel();
  await fetch(`${base}/api/admin/bots/runs/${runId}/cancel`, { method: "POST", headers: { cookie } });
  for (let i = 0; i < 100; i++) {
    const report = (await (await fetch(`${base}/api/admin/bots/runs/${runId}`, { headers: { cookie } })).json()) as { status: string };
    if (!isActiveRun(report.status)) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  return ms;
}

export async function benchPages(server: EmbeddedServer, runs: number): Promise<Record<string, number>> {
  await server.createDatabase("pages");
  const url = server.urlFor("pages");
  await applyMigrations(url);
  await seedDashboard(url);
  const prisma = createPrismaClient(url);
  await rollUpEndedRuns(prisma);
  await createUser(prisma, ADMIN);
  await prisma.$disconnect();
  const site = await startFaultSite();
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const env = {
    ...process.env, NODE_ENV: "production" as const, DATABASE_URL: url, AUTH_SECRET: "bench-auth-secret-".repeat(3), AUTH_URL: base,
    TARGET_BASE_URL: site.url, TARGET_ENDPOINTS_PRESET: "none", LOG_LEVEL: "warn", NEXT_TELEMETRY_DISABLED: "1",
  };
  if (!hasBuild()) await buildNext(env);
  const next = runNext(["start", "--port", String(port)], env, "pipe");
  const rows: Record<string, number>[] = [];
  try {
    await waitForPort(port, next);
    const cookie = await signIn(base);
    await timed(`${base}/admin/troubleshooting`, cookie); // warm-up: first compile of each route's server code
    await timed(`${base}/admin/troubleshooting/history?range=30d`, cookie);
    for (let i = 0; i < runs; i++) {
      rows.push({
        overview: await timed(`${base}/admin/troubleshooting`, cookie),
        history30d: await timed(`${base}/admin/troubleshooting/history?range=30d`, cookie),
        history90d: await timed(`${base}/admin/troubleshooting/history?range=90d`, cookie),
        runsApi: await timed(`${base}/api/admin/bots/runs?page=2&severity=critical`, cookie),
        firstSse: await firstEventMs(base, cookie),
      });
    }
  } finally {
    await stopChild(next);
    await site.close();
  }
  return table("pages", "served", "Dashboard served by next start over 10,000 runs / 100,000 issues: full page render and API answer; first SSE event after starting a run (ms)", Object.keys(rows[0] ?? {}), rows);
}
