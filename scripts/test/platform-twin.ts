// The platform twin (fixtures/platform): a real Next.js App Router SaaS admin platform, built with
// `next build` and served by `next start`, that the diagnostic bots are tested against. Each
// fault in TWIN_FAULTS_DOC is switched on by env when the server starts (one build serves every
// combination); some realistic traps are always on (see fixtures/platform/lib/faults.ts).
import { type ChildProcess, spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { readFile, readdir, rm, writeFile } from "node:fs/promises";
import http from "node:http";
import https from "node:https";
import type { AddressInfo } from "node:net";
import { createRequire } from "node:module";
import path from "node:path";
import bcrypt from "bcryptjs";
import pg from "pg";
import { FAULT_NAMES } from "../../fixtures/platform/lib/faults";
import { freePort } from "../lib/embedded-postgres";
import { nextBin } from "../lib/next-process";
import { applyMigrations } from "../lib/migrations";

const REPO_ROOT = path.resolve(import.meta.dirname, "../..");
/** The fixture's folder (its own next.config.mjs, app/, proxy.ts, prisma/). */
export const PLATFORM_TWIN_DIR = path.join(REPO_ROOT, "fixtures/platform");
const MIGRATIONS_DIR = path.join(PLATFORM_TWIN_DIR, "prisma/migrations");
const STAMP_FILE = path.join(PLATFORM_TWIN_DIR, ".next/twin-build-stamp");

/** Every fault the twin can be switched into, in the order of TWIN_FAULTS_DOC. */
export const TWIN_FAULT_NAMES = FAULT_NAMES;
export type TwinFault = (typeof TWIN_FAULT_NAMES)[number];

export interface TwinFaultDoc {
  /** What is wrong, in one line. */
  description: string;
  /** The paths where the fault shows (requests to make, or pages whose behaviour changes). */
  paths: string[];
}

/** Where each fault lives, for tests and the bench to know what a bot should find. */
export const TWIN_FAULTS_DOC: Readonly<Record<TwinFault, TwinFaultDoc>> = {
  "admin-api-open": {
    description: "The admin users API forgot its session check: an anonymous GET lists every user (id, email, name, role); settings accept anonymous POST writes.",
    paths: ["/api/admin/users", "/api/admin/settings"],
  },
  "debug-endpoints": {
    description: "Unlinked debug routes are deployed: /api/debug names which secrets are set and the database host, /api/debug/config returns the full DATABASE_URL (with password) and a stack trace.",
    paths: ["/api/debug", "/api/debug/config"],
  },
  "dotfiles-exposed": {
    description: "The proxy serves project dotfiles as text/plain 200: a dotenv with DATABASE_URL and AUTH_SECRET, and a git config with a token in its remote URL.",
    paths: ["/.env", "/.git/config"],
  },
  "admin-page-open": {
    description: "The proxy's protected list misses /admin/users: the page renders the user table to anonymous visitors; the other admin pages stay protected.",
    paths: ["/admin/users"],
  },
  "api-404": {
    description: "APIs the pages still call were removed: /pricing's /api/plans and the admin orders page's /api/admin/reports answer Next's 404.",
    paths: ["/api/plans", "/api/admin/reports", "/pricing", "/admin/orders"],
  },
  "chunk-html": {
    description: "Every page references a stale chunk, which a catch-all answers with an HTML page (200, text/html).",
    paths: ["/_next/static/chunks/app-stale-4f2a9c1e.js", "/"],
  },
  "auth-redirect": {
    description: "The proxy also guards /api/auth/*: anonymous requests to Auth.js's session (and signout/error) routes get a 307 to /login instead of JSON; csrf, providers, signin and callback stay open so signing in still works.",
    paths: ["/api/auth/session"],
  },
  "api-html": {
    description: "/api/status, fetched by the home page expecting JSON, answers 200 text/html (an upstream error page); the page logs the JSON parse failure with console.error.",
    paths: ["/api/status", "/"],
  },
  "csp-blocks-scripts": {
    description: "On /docs/api only (a route's own headers), the CSP is strict (script-src 'self'; script-src-elem 'self' 'nonce-…') but Next finds no nonce in script-src, so none of the page's scripts carries it: the browser blocks Next's inline scripts and the page never hydrates.",
    paths: ["/docs/api"],
  },
  "third-party-expired": {
    description: "Every page loads a script from TWIN_EXTERNAL_SCRIPT_URL (the test's https server with an expired certificate).",
    paths: ["/"],
  },
  "slow-api": {
    description: "/api/search (the docs search box) waits 1500 ms before answering.",
    paths: ["/api/search?q=api"],
  },
  "stack-trace": {
    description: "/api/health answers 500 with a JSON error holding a full Node stack trace (ECONNREFUSED 10.0.0.5:5432, /app/.next/server/... frames).",
    paths: ["/api/health"],
  },
  "page-500": {
    description: "/changelog throws while rendering on the server: 500.",
    paths: ["/changelog"],
  },
};

/** The seeded accounts. */
export const TWIN_ADMIN = { email: "admin@twin.test", password: "twin-admin-password" } as const;
export const TWIN_USER = { email: "user@twin.test", password: "twin-user-password" } as const;

/** Fixed so that sessions survive restarts within a test run; not a secret of anything real. */
const TWIN_AUTH_SECRET = "platform-twin-auth-secret-0123456789abcdef";

// ---------------------------------------------------------------------------------------------
// Build

/** Hash of the fixture's sources (and the Next.js version), recorded in .next after a build. */
async function sourceHash(): Promise<string> {
  const hash = createHash("sha256");
  const nextPackage = JSON.parse(await readFile(createRequire(import.meta.url).resolve("next/package.json"), "utf8")) as { version: string };
  hash.update(`next@${nextPackage.version}\n`);
  const files: string[] = [];
  async function walk(dir: string): Promise<void> {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      if (entry.name === ".next" || entry.name === "node_modules" || entry.name === "next-env.d.ts" || entry.name.endsWith(".tsbuildinfo")) continue;
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) await walk(full);
      else if (entry.isFile()) files.push(full);
    }
  }
  await walk(PLATFORM_TWIN_DIR);
  for (const file of files.sort()) {
    hash.update(`${path.relative(PLATFORM_TWIN_DIR, file)}\n`);
    hash.update(await readFile(file));
  }
  return hash.digest("hex");
}

/** The environment of the twin's build and server: ours, with production's NODE_ENV rather than
 * a test runner's, and none of the twin's own switches. */
const DROPPED_ENV = new Set(["NODE_OPTIONS", "TWIN_FAULTS", "TWIN_EXTERNAL_SCRIPT_URL"]);
function baseEnv(): NodeJS.ProcessEnv {
  const kept = Object.entries(process.env).filter(([name]) => !DROPPED_ENV.has(name));
  return { ...Object.fromEntries(kept), NODE_ENV: "production", NEXT_TELEMETRY_DISABLED: "1" };
}

let building: Promise<void> | undefined;

/**
 * Runs `next build fixtures/platform` unless .next/twin-build-stamp records the hash of the
 * current sources (so repeated test runs do not rebuild). Once per process.
 */
export function ensurePlatformTwinBuilt(): Promise<void> {
  building ??= build().catch((error: unknown) => {
    building = undefined;
    throw error;
  });
  return building;
}

async function build(): Promise<void> {
  const hash = await sourceHash();
  const stamp = await readFile(STAMP_FILE, "utf8").catch(() => "");
  if (stamp.trim() === hash && existsSync(path.join(PLATFORM_TWIN_DIR, ".next/BUILD_ID"))) return;
  await rm(STAMP_FILE, { force: true });
  const output: string[] = [];
  const code = await new Promise<number | null>((resolve, reject) => {
    const child = spawn(process.execPath, [nextBin, "build", PLATFORM_TWIN_DIR], { cwd: REPO_ROOT, env: baseEnv(), stdio: ["ignore", "pipe", "pipe"] });
    child.stdout.on("data", (chunk: Buffer) => output.push(chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => output.push(chunk.toString()));
    child.once("error", reject);
    child.once("exit", resolve);
  });
  // Next writes next-env.d.ts, which imports .next/types/routes.d.ts. The root tsconfig includes
  // every **/*.ts, and those route types declare globals that the product's own build declares
  // too: left here, it would break the repository's typecheck once both apps are built.
  await rm(path.join(PLATFORM_TWIN_DIR, "next-env.d.ts"), { force: true });
  if (code !== 0) throw new Error(`next build of the platform twin exited with ${code}:\n${output.join("").slice(-4000)}`);
  await writeFile(STAMP_FILE, `${hash}\n`);
}

// ---------------------------------------------------------------------------------------------
// Database

const SEED_USERS = [
  { email: TWIN_ADMIN.email, name: "Ada Admin", role: "admin", password: TWIN_ADMIN.password },
  { email: TWIN_USER.email, name: "Uma User", role: "user", password: TWIN_USER.password },
  { email: "grace@twin.test", name: "Grace Hopper", role: "user", password: "twin-grace-password" },
  { email: "linus@twin.test", name: "Linus Berg", role: "user", password: "twin-linus-password" },
  { email: "mei@twin.test", name: "Mei Tanaka", role: "admin", password: "twin-mei-password" },
] as const;

const SEED_POSTS = [
  {
    slug: "introducing-revenue-reports",
    title: "Introducing revenue reports",
    summary: "Revenue by status and by month, in one click.",
    body: "Revenue reports are here. Every workspace now has a report of revenue by order status and by month.\n\nExport any report as CSV from the orders page.",
    publishedAt: "2026-11-02T09:00:00Z",
  },
  {
    slug: "faster-order-search",
    title: "Order search is now 10x faster",
    summary: "How we rebuilt search on PostgreSQL full-text indexes.",
    body: "We moved order search to PostgreSQL full-text indexes.\n\nMedian search time dropped from 420 ms to 38 ms.",
    publishedAt: "2026-10-18T09:00:00Z",
  },
  {
    slug: "audit-trail",
    title: "An audit trail for every role change",
    summary: "Know who gave whom admin access, and when.",
    body: "Every role change is now recorded in the audit trail.\n\nAdmins can review it from the settings page.",
    publishedAt: "2026-10-01T09:00:00Z",
  },
] as const;

const SEED_ORDERS: { email: string; status: string; items: [sku: string, quantity: number, unitPriceCents: number][] }[] = [
  { email: TWIN_USER.email, status: "paid", items: [["PLAN-GROWTH", 1, 9900]] },
  { email: TWIN_USER.email, status: "paid", items: [["SEAT-EXTRA", 3, 1500], ["PLAN-STARTER", 1, 2900]] },
  { email: "grace@twin.test", status: "refunded", items: [["PLAN-SCALE", 1, 29900]] },
  { email: "grace@twin.test", status: "paid", items: [["PLAN-SCALE", 1, 29900]] },
  { email: "linus@twin.test", status: "pending", items: [["PLAN-STARTER", 1, 2900], ["ONBOARDING", 1, 49900]] },
];

/** Applies the twin's migrations (recorded in _prisma_migrations as `prisma migrate deploy`
 * does) and seeds users, posts and orders. Idempotent. */
export async function preparePlatformTwinDatabase(databaseUrl: string): Promise<void> {
  await applyMigrations(databaseUrl, MIGRATIONS_DIR);
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query("BEGIN");
    await client.query("SELECT pg_advisory_xact_lock(4242)");
    const existing = new Set((await client.query<{ email: string }>("SELECT email FROM users")).rows.map((row) => row.email));
    for (const user of SEED_USERS) {
      if (existing.has(user.email)) continue;
      await client.query("INSERT INTO users (email, name, role, password_hash) VALUES ($1, $2, $3, $4)", [user.email, user.name, user.role, await bcrypt.hash(user.password, 10)]);
    }
    const ids = new Map((await client.query<{ id: number; email: string }>("SELECT id, email FROM users")).rows.map((row) => [row.email, row.id]));
    for (const post of SEED_POSTS) {
      await client.query(
        "INSERT INTO posts (slug, title, summary, body, published_at, author_id) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (slug) DO NOTHING",
        [post.slug, post.title, post.summary, post.body, post.publishedAt, ids.get(TWIN_ADMIN.email)],
      );
    }
    const { rows } = await client.query<{ count: number }>("SELECT count(*)::int AS count FROM orders");
    if (rows[0]?.count === 0) {
      for (const [index, order] of SEED_ORDERS.entries()) {
        const total = order.items.reduce((sum, [, quantity, price]) => sum + quantity * price, 0);
        const createdAt = new Date(Date.UTC(2026, 9, 1 + index * 7));
        const inserted = await client.query<{ id: number }>("INSERT INTO orders (user_id, status, total_cents, created_at) VALUES ($1, $2, $3, $4) RETURNING id", [
          ids.get(order.email),
          order.status,
          total,
          createdAt,
        ]);
        for (const [sku, quantity, price] of order.items) {
          await client.query("INSERT INTO order_items (order_id, sku, quantity, unit_price_cents) VALUES ($1, $2, $3, $4)", [inserted.rows[0]!.id, sku, quantity, price]);
        }
      }
      await client.query("INSERT INTO audit_events (user_id, action) VALUES ($1, 'seeded')", [ids.get(TWIN_ADMIN.email)]);
    }
    await client.query("COMMIT");
  } catch (error) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw error;
  } finally {
    await client.end();
  }
}

// ---------------------------------------------------------------------------------------------
// Server

export interface PlatformTwinOptions {
  databaseUrl: string;
  /** Faults to switch on; none (healthy) by default. */
  faults?: TwinFault[] | "all";
  /** Serve over https through a small TLS reverse proxy with this certificate. */
  tls?: { cert: string; key: string };
  /** The script URL of the third-party-expired fault (TWIN_EXTERNAL_SCRIPT_URL). */
  externalScriptUrl?: string;
  /** Extra environment for `next start`, applied last. */
  env?: Record<string, string>;
}

export interface PlatformTwin {
  /** http://localhost:<port> (https://localhost:<proxyPort> with tls), while AUTH_URL names 127.0.0.1. */
  url: string;
  port: number;
  /** Stops the server (its whole process group) and the TLS proxy. */
  close(): Promise<void>;
  /** A real Auth.js credentials sign-in; returns the session cookie as `name=value`. */
  signIn(email: string, password: string): Promise<string>;
}

/** Starts `next start` on the built twin (see ensurePlatformTwinBuilt) on a free loopback port. */
export async function startPlatformTwin(options: PlatformTwinOptions): Promise<PlatformTwin> {
  const port = await freePort();
  const proxy = options.tls ? await startTlsProxy(options.tls, port) : null;
  const publicPort = proxy ? proxy.port : port;
  const scheme = proxy ? "https" : "http";
  const faults = options.faults === "all" ? "all" : (options.faults ?? []).join(",");
  const env: NodeJS.ProcessEnv = {
    ...baseEnv(),
    DATABASE_URL: options.databaseUrl,
    AUTH_SECRET: TWIN_AUTH_SECRET,
    AUTH_URL: `${scheme}://127.0.0.1:${publicPort}`,
    AUTH_TRUST_HOST: "true",
    TWIN_FAULTS: faults,
    ...(options.externalScriptUrl ? { TWIN_EXTERNAL_SCRIPT_URL: options.externalScriptUrl } : {}),
    ...options.env,
  };
  const output: string[] = [];
  const child = spawn(process.execPath, [nextBin, "start", PLATFORM_TWIN_DIR, "--port", String(port), "--hostname", "127.0.0.1"], {
    cwd: REPO_ROOT,
    env,
    detached: true, // its own process group, so close() stops whatever it spawns too
    stdio: ["ignore", "pipe", "pipe"],
  });
  const keep = (chunk: Buffer) => {
    output.push(chunk.toString());
    if (output.length > 200) output.shift();
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);

  const close = async () => {
    await stopGroup(child);
    await proxy?.close();
  };
  try {
    await waitForHttp(port, child, () => output.join(""));
  } catch (error) {
    await close();
    throw error;
  }
  const url = `${scheme}://localhost:${publicPort}`;
  return { url, port: publicPort, close, signIn: (email, password) => signInTo(url, email, password) };
}

async function waitForHttp(port: number, child: ChildProcess, log: () => string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`next start of the platform twin exited (${child.exitCode ?? child.signalCode}):\n${log().slice(-4000)}`);
    const answered = await send(`http://127.0.0.1:${port}/robots.txt`).then(
      () => true,
      () => false,
    );
    if (answered) return;
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
  throw new Error(`The platform twin did not answer on port ${port} within ${timeoutMs / 1000} s:\n${log().slice(-4000)}`);
}

function stopGroup(child: ChildProcess, graceMs = 5_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return Promise.resolve();
  const pid = child.pid;
  const signal = (name: NodeJS.Signals) => {
    try {
      process.kill(-pid, name);
    } catch {
      // already gone
    }
  };
  return new Promise((resolve) => {
    const timer = setTimeout(() => signal("SIGKILL"), graceMs);
    child.once("exit", () => {
      clearTimeout(timer);
      signal("SIGKILL"); // any straggler left in the group
      resolve();
    });
    signal("SIGTERM");
  });
}

/** A streaming https -> http reverse proxy to the twin, as a TLS-terminating load balancer. */
async function startTlsProxy(tls: { cert: string; key: string }, targetPort: number): Promise<{ port: number; close(): Promise<void> }> {
  const server = https.createServer({ cert: tls.cert, key: tls.key }, (request, response) => {
    const upstream = http.request(
      {
        host: "127.0.0.1",
        port: targetPort,
        method: request.method,
        path: request.url,
        headers: { ...request.headers, "x-forwarded-proto": "https", "x-forwarded-host": request.headers.host ?? "" },
      },
      (answer) => {
        response.writeHead(answer.statusCode ?? 502, answer.statusMessage, answer.rawHeaders);
        answer.pipe(response);
      },
    );
    upstream.on("error", () => {
      if (!response.headersSent) response.writeHead(502, { "content-type": "text/plain" });
      response.end("Bad gateway");
    });
    request.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

// ---------------------------------------------------------------------------------------------
// Sign-in

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** One request over http or https (the TLS proxy's certificate is the test's own: not verified). */
function send(url: string, init: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<Answer> {
  const target = new URL(url);
  const transport = target.protocol === "https:" ? https : http;
  return new Promise((resolve, reject) => {
    const request = transport.request(target, { method: init.method ?? "GET", headers: init.headers, rejectUnauthorized: false, timeout: 10_000 }, (response) => {
      const chunks: Buffer[] = [];
      response.on("data", (chunk: Buffer) => chunks.push(chunk));
      response.on("end", () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks).toString() }));
      response.on("error", reject);
    });
    request.on("timeout", () => request.destroy(new Error(`timeout: ${url}`)));
    request.on("error", reject);
    request.end(init.body);
  });
}

/** The cookies a response sets, as `name=value`; a later cookie of the same name wins, as in a browser. */
function cookiePairs(headers: http.IncomingHttpHeaders): string[] {
  const jar = new Map<string, string>();
  for (const cookie of headers["set-cookie"] ?? []) {
    const pair = cookie.split(";")[0]!;
    const at = pair.indexOf("=");
    if (at > 0) jar.set(pair.slice(0, at), pair);
  }
  return [...jar.values()];
}

/** GET /api/auth/csrf, then POST the credentials with the csrf cookie, as the sign-in form does. */
async function signInTo(baseUrl: string, email: string, password: string): Promise<string> {
  const csrf = await send(`${baseUrl}/api/auth/csrf`);
  if (csrf.status !== 200) throw new Error(`GET /api/auth/csrf answered ${csrf.status}`);
  const { csrfToken } = JSON.parse(csrf.body) as { csrfToken: string };
  const body = new URLSearchParams({ csrfToken, email, password, callbackUrl: `${baseUrl}/account` }).toString();
  const callback = await send(`${baseUrl}/api/auth/callback/credentials`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: cookiePairs(csrf.headers).join("; "), "content-length": String(Buffer.byteLength(body)) },
    body,
  });
  const session = cookiePairs(callback.headers).find((pair) => /^(__Secure-)?authjs\.session-token=/.test(pair));
  if (!session) throw new Error(`Sign-in as ${email} failed: ${callback.status} ${String(callback.headers.location ?? "")}`);
  return session;
}
