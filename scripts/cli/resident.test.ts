// The resident server (`troubleshoot serve`): a later `npm run troubleshoot` hands it the run over
// an owner-only unix socket and prints what a one-shot run prints (stdout, stderr, exit code); a
// server of another store is not used; a dead server's socket is removed and the run goes
// one-shot; `serve --stop` stops it, and so does --idle-minutes without a run; its own output
// holds none of the runs' secrets.
import { existsSync, statSync } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runReportSchema } from "../../lib/troubleshooting/report";
import { type CliResult, runTroubleshootCli } from "../../fixtures/test/cli";
import { createTestDatabase, withClient } from "../../fixtures/test/databases";
import { createStaleTable } from "../../fixtures/test/stale-table";
import { type TargetServer, startTargetServer } from "../../fixtures/test/target-server";
import { EXIT } from "./exit-codes";

const AUTH_SECRET = "r".repeat(40);
/** A secret only the clients' environment holds: it must never reach the server's output. */
const CLIENT_SECRET = "client-only-secret-7f3a9c";
let dataDir: string;
let productUrl: string;
let otherProductUrl: string;
let targetDb: string;
let failing: TargetServer;
let healthy: TargetServer;

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), "tr-resident-"));
  [productUrl, otherProductUrl, targetDb] = await Promise.all([createTestDatabase(), createTestDatabase(), createTestDatabase({ migrate: false })]);
  await createStaleTable(targetDb); // db.analyze_table: with --auto-approve none the run waits for a decision
  [failing, healthy] = await Promise.all([startTargetServer({ status: 503 }), startTargetServer({ status: 200 })]);
}, 120_000);
afterAll(async () => {
  await runTroubleshootCli(["serve", "--stop"], envFor(productUrl));
  await Promise.all([failing.close(), healthy.close()]);
  await rm(dataDir, { recursive: true, force: true });
});

function envFor(databaseUrl: string, extra: Record<string, string> = {}): Record<string, string> {
  return { DATABASE_URL: databaseUrl, AUTH_SECRET, DATA_DIR: dataDir, TARGET_BASE_URL: failing.url, LOG_LEVEL: "info", CLIENT_SECRET_FOR_TEST: CLIENT_SECRET, ...extra };
}
const resident = (args: string[], extra?: Record<string, string>) => runTroubleshootCli(args, envFor(productUrl, extra));
const oneShot = (args: string[], extra?: Record<string, string>) => runTroubleshootCli(args, envFor(productUrl, { TROUBLESHOOT_RESIDENT: "0", ...extra }));
const socketFile = () => path.join(dataDir, "resident", "cli.sock");
const serverLog = () => readFile(path.join(dataDir, "resident", "server.log"), "utf8");
/** Runs the server has made so far (it logs one line per run, without its arguments). */
const served = async () => (await serverLog()).split("\n").filter((l) => l.includes("run answered with exit code")).length;
/** Ids and timings differ between two runs; the rest of stderr must not. */
const normalised = (stderr: string) =>
  stderr
    .replace(/"time":\d+/g, "")
    .replace(/\b[a-z0-9]{25}\b/g, "RUN")
    .replace(/\d+ ms/g, "N ms")
    .replace(/"(pid|hostname|durationMs|correlationId)":("[^"]*"|\d+)/g, "")
    .split("\n")
    .sort();
const reportOf = (result: CliResult) => runReportSchema.parse(JSON.parse(result.stdout));

async function startServer(): Promise<void> {
  const started = await resident(["serve", "--idle-minutes", "10"]);
  expect(started.code, started.stderr).toBe(EXIT.clean);
  expect(started.stdout).toBe("");
  expect(started.stderr).toContain(`ready on ${socketFile()}`);
}

/** The PostgreSQL backends connected to the store's database (the one asking aside). */
const storeBackends = () =>
  withClient(productUrl, async (sql) => (await sql.query<{ n: number }>("SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()")).rows[0]?.n);

describe("troubleshoot serve", () => {
  it("runs hand over to it: the same report, stdout only the JSON, the same exit codes (findings 3, waiting 4, bad arguments 2); its socket is 0600 in a 0700 folder", async () => {
    await startServer();
    // Its next run worker already holds the store's connections: one for Prisma, one for the checkpointer.
    expect(await storeBackends()).toBe(2);
    expect(statSync(socketFile()).mode & 0o777).toBe(0o600);
    expect(statSync(path.dirname(socketFile())).mode & 0o777).toBe(0o700);

    const args = ["--json", "--no-browser", "--domains", "web,network"];
    const before = await served();
    const warm = await resident(args);
    expect(await served()).toBe(before + 1);
    const cold = await oneShot(args);
    expect(await served()).toBe(before + 1);
    expect(warm.code, warm.stderr).toBe(EXIT.findings);
    expect(cold.code, cold.stderr).toBe(EXIT.findings);
    const [w, c] = [reportOf(warm), reportOf(cold)];
    expect(Object.keys(w).sort()).toEqual(Object.keys(c).sort());
    // Each issue's group too: the issues join their groups before the client is answered.
    const issuesOf = (r: typeof w) => r.issues.map((i) => `${i.code}:${i.group ? "grouped" : "no group"}`).sort();
    expect({ status: w.status, issues: issuesOf(w), checks: w.checks.map((x) => `${x.code}:${x.status}`).sort() }).toEqual({
      status: c.status,
      issues: issuesOf(c),
      checks: c.checks.map((x) => `${x.code}:${x.status}`).sort(),
    });
    expect(w.issues.every((i) => i.group)).toBe(true);
    expect(w.issues.map((i) => i.code)).toContain("web.page_error_status");
    expect(warm.stderr).toContain('"msg":"run ended"'); // the logger's line, on stderr, at the client's LOG_LEVEL
    expect(normalised(warm.stderr)).toEqual(normalised(cold.stderr));

    // Each run reads its own environment: nothing of the previous one is cached in the server.
    const elsewhere = await resident(args, { TARGET_BASE_URL: healthy.url });
    expect(reportOf(elsewhere).target.baseUrl).toBe(healthy.url);
    expect(elsewhere.stdout).not.toContain(failing.url);

    const waiting = await resident(["--json", "--domains", "database", "--no-browser", "--auto-approve", "none", "--database-url", targetDb]);
    expect(waiting.code, waiting.stderr).toBe(EXIT.awaitingApproval);
    expect(reportOf(waiting).status).toBe("awaiting_approval");

    const badServe = await resident(["serve", "--stop", "--idle-minutes", "5", "--json"]);
    expect(badServe.code).toBe(EXIT.usage);
    expect(JSON.parse(badServe.stdout)).toMatchObject({ error: { exitCode: EXIT.usage, message: "--idle-minutes: not with --stop (it is for starting a server)" } });

    const bad = await resident(["--domains", "web,dns"]);
    expect(bad.code).toBe(EXIT.usage);
    expect(bad.stdout).toBe("");
    expect(bad.stderr).toContain('--domains: "dns" is not a domain');
    expect(await served()).toBe(before + 4);

    // A configuration error reads as in a one-shot run: the variable named, one problem a line.
    const badLevel = ["--json", "--no-browser", "--domains", "web"];
    const [warmBad, coldBad] = [await resident(badLevel, { LOG_LEVEL: "bogus" }), await oneShot(badLevel, { LOG_LEVEL: "bogus" })];
    expect(warmBad.code).toBe(EXIT.failed);
    expect(warmBad.stdout).toBe(coldBad.stdout);
    expect(JSON.parse(warmBad.stdout)).toMatchObject({ error: { exitCode: EXIT.failed, message: expect.stringContaining("LOG_LEVEL: ") } });
    expect(warmBad.stderr).toBe(coldBad.stderr);
    expect(warmBad.stderr).toMatch(/^\[troubleshoot\] failed: Invalid configuration:\n {4}LOG_LEVEL: /);

    // Nothing of the clients' environment or secrets in the server's own output.
    const log = await serverLog();
    for (const secret of [CLIENT_SECRET, AUTH_SECRET, new URL(productUrl).password, new URL(targetDb).password, failing.url]) expect(log).not.toContain(secret);
  }, 240_000);

  it("a server for another DATABASE_URL is not used: the run goes one-shot", async () => {
    const before = await served();
    const other = await runTroubleshootCli(["--json", "--no-browser", "--domains", "web"], envFor(otherProductUrl));
    expect(other.code, other.stderr).toBe(EXIT.findings);
    expect(reportOf(other).status).toBe("completed");
    expect(await served()).toBe(before);
  }, 120_000);

  it("serve --stop stops it once the runs it answered have finished their after-run steps; a dead server's socket is removed and the run goes one-shot", async () => {
    // The client is answered before the run's after-run steps (check samples, history, alerts);
    // the worker finishes them after, and --stop waits for it.
    const answered = await resident(["--json", "--no-browser", "--domains", "web"]);
    expect(answered.code, answered.stderr).toBe(EXIT.findings);
    const runId = reportOf(answered).runId;
    const stopped = await resident(["serve", "--stop"]);
    const [samples, rolledUp] = await withClient(productUrl, async (sql) => [
      (await sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM troubleshooter."CheckSample" WHERE "runId" = $1`, [runId])).rows[0]?.n,
      (await sql.query<{ at: Date | null }>(`SELECT "rolledUpAt" AS at FROM troubleshooter."TroubleshootingRun" WHERE id = $1`, [runId])).rows[0]?.at,
    ]);
    expect(stopped.code, stopped.stderr).toBe(EXIT.clean);
    expect(samples).toBeGreaterThan(0);
    expect(rolledUp).toBeInstanceOf(Date);
    expect(stopped.stderr).toContain("stopped");
    expect(await storeBackends()).toBe(0);
    expect(existsSync(socketFile())).toBe(false);
    expect((await resident(["serve", "--stop"])).stderr).toContain("no resident server running");

    // A server killed without cleaning up leaves its socket behind.
    await startServer();
    const pid = Number(/listening on .* \(pid (\d+)/.exec((await serverLog()).split("\n").filter((l) => l.includes("listening on")).at(-1) ?? "")?.[1]);
    expect(pid).toBeGreaterThan(0);
    process.kill(pid, "SIGKILL");
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(existsSync(socketFile())).toBe(true);
    const before = await served();
    const run = await resident(["--json", "--no-browser", "--domains", "web"]);
    expect(run.code, run.stderr).toBe(EXIT.findings);
    expect(reportOf(run).status).toBe("completed");
    expect(existsSync(socketFile())).toBe(false);
    expect(await served()).toBe(before);

    // Idle for --idle-minutes (here 1.2 s) without a run: it stops by itself and removes its socket.
    const idle = await resident(["serve", "--idle-minutes", "0.02"]);
    expect(idle.code, idle.stderr).toBe(EXIT.clean);
    while (existsSync(socketFile())) await new Promise((resolve) => setTimeout(resolve, 100));
    while (!(await serverLog()).includes("stopping (idle for 0.02 minutes)")) await new Promise((resolve) => setTimeout(resolve, 100));
  }, 240_000);
});
