// `npm run troubleshoot -- --target NAME` and `targets`, as a script runs them (a child process),
// on a stored target whose database password is sealed in the store.
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPrismaClient } from "../../lib/db";
import { sealTargetSecrets } from "../../lib/targets/secrets";
import { runReportSchema } from "../../lib/troubleshooting/report";
import { targetKeyOf } from "../../lib/troubleshooting/runs/run-service";
import { runTroubleshootCli } from "../../fixtures/test/cli";
import { createTestDatabase } from "../../fixtures/test/databases";
import { createStaleTable } from "../../fixtures/test/stale-table";
import { type TargetServer, startTargetServer } from "../../fixtures/test/target-server";
import { EXIT } from "./exit-codes";

const SECRET = "t".repeat(40);
let databaseUrl: string;
let password: string;
let site: TargetServer;
let targetId: string;

beforeAll(async () => {
  databaseUrl = await createTestDatabase();
  site = await startTargetServer();
  const url = new URL(databaseUrl);
  password = decodeURIComponent(url.password);
  expect(password.length).toBeGreaterThan(3); // the test means something only with a password
  url.password = "";
  const prisma = createPrismaClient(databaseUrl);
  try {
    const row = await prisma.target.create({
      data: {
        name: "staging", baseUrl: site.url, databaseUrl: url.toString(), sealedSecrets: sealTargetSecrets({ databasePassword: password, bearerToken: "bearer-secret-123" }, SECRET),
        pages: ["/"], scheduleMinutes: 30, targetKey: targetKeyOf({ baseUrl: site.url, databaseUrl: url.toString() }),
      },
    });
    targetId = row.id;
  } finally {
    await prisma.$disconnect();
  }
});
afterAll(() => site?.close());

// The configured (default) target is elsewhere: a run on "staging" cannot be it by accident.
const cli = (args: string[]) => runTroubleshootCli(args, { DATABASE_URL: databaseUrl, AUTH_SECRET: SECRET, TARGET_BASE_URL: "http://127.0.0.1:9", LOG_LEVEL: "info" });
const leaks = (text: string) => [password, "bearer-secret-123"].filter((s) => text.includes(s));

describe("npm run troubleshoot --target", () => {
  it("runs a stored target by name: its site and database (password opened from the store), the run records targetId, and no secret is printed", { timeout: 120_000 }, async () => {
    const { code, stdout, stderr } = await cli(["--target", "staging", "--json", "--no-browser", "--domains", "web,database"]);
    expect([EXIT.clean, EXIT.findings], stderr).toContain(code);
    const report = runReportSchema.parse(JSON.parse(stdout));
    expect(report).toMatchObject({ status: "completed", trigger: "cli", target: { baseUrl: site.url } });
    // The database checks ran: the password opened from the store let them connect.
    expect(report.checks.filter((c) => c.domain === "database").some((c) => c.status === "passed" || c.status === "issues")).toBe(true);
    expect(stderr).toContain(`on staging (${site.url})`);
    expect(leaks(stdout + stderr)).toEqual([]);
    const prisma = createPrismaClient(databaseUrl);
    try {
      expect(await prisma.troubleshootingRun.findUnique({ where: { id: report.runId }, select: { targetId: true } })).toEqual({ targetId });
    } finally {
      await prisma.$disconnect();
    }
  });

  it("an unknown name exits 2 naming it; --target with --base-url or --database-url is refused as contradictory", async () => {
    const unknown = await cli(["--target", "prod-eu", "--no-browser"]);
    expect(unknown.code).toBe(EXIT.usage);
    expect(unknown.stdout).toBe("");
    expect(unknown.stderr).toContain('--target: no target named "prod-eu"');
    for (const extra of [["--base-url", "http://127.0.0.1:1"], ["--database-url", "postgresql://u:hunter2@h/db"]]) {
      const { code, stdout, stderr } = await cli(["--target", "staging", ...extra]);
      expect(code, extra.join(" ")).toBe(EXIT.usage);
      expect(stdout).toBe("");
      expect(stderr).toContain(`${extra[0]}: contradicts --target "staging"`);
      expect(stderr).not.toContain("hunter2");
    }
    const enqueueUnknown = await cli(["--enqueue", "--target", "prod-eu"]);
    expect(enqueueUnknown).toMatchObject({ code: EXIT.usage, stdout: "" });
    expect(enqueueUnknown.stderr).toContain('no target named "prod-eu"');
  });

  it("--enqueue --target queues a job naming the target, with none of its secrets", async () => {
    const { code, stdout, stderr } = await cli(["--enqueue", "--target", "staging", "--no-browser"]);
    expect(code, stderr).toBe(0);
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    try {
      const { rows } = await client.query<{ data: unknown }>("SELECT data FROM troubleshooter_queue.job WHERE id = $1", [stdout.trim()]);
      expect(rows).toEqual([{ data: { target: "staging", browser: false, trigger: "cli" } }]);
    } finally {
      await client.end();
    }
  });

  it("`targets` lists the default and stored targets with their schedule, never a secret; --json too", async () => {
    const json = await cli(["targets", "--json"]);
    expect(json.code, json.stderr).toBe(0);
    const { targets } = JSON.parse(json.stdout) as { targets: Record<string, unknown>[] };
    const db = new URL(databaseUrl);
    expect(targets).toEqual([
      expect.objectContaining({ name: "default", stored: false, baseUrl: "http://127.0.0.1:9" }),
      { name: "staging", stored: true, baseUrl: site.url, database: `${db.host}${db.pathname}`, scheduleMinutes: 30, nextRunAt: null },
    ]);
    const text = await cli(["targets"]);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^staging\s+http:\/\/127\.0\.0\.1:\d+\s+127\.0\.0\.1:\d+\/test_\w+\s+every 30 min, next at the next tick$/m);
    expect(leaks(json.stdout + json.stderr + text.stdout + text.stderr)).toEqual([]);
    expect(json.stdout).not.toContain("sealed");
  });

  it("a stored target's run waiting for approval is approved from the CLI without --database-url: the password comes from the store", { timeout: 240_000 }, async () => {
    const targetDb = await createTestDatabase({ migrate: false });
    await createStaleTable(targetDb); // db.analyze_table: with --auto-approve none it waits for a decision
    const url = new URL(targetDb);
    url.password = "";
    const prisma = createPrismaClient(databaseUrl);
    try {
      await prisma.target.create({
        data: { name: "stale", baseUrl: site.url, databaseUrl: url.toString(), sealedSecrets: sealTargetSecrets({ databasePassword: password }, SECRET), targetKey: targetKeyOf({ baseUrl: site.url, databaseUrl: url.toString() }) },
      });
      const waiting = await cli(["--target", "stale", "--json", "--domains", "database", "--no-browser", "--auto-approve", "none"]);
      expect(waiting.code, waiting.stderr).toBe(EXIT.awaitingApproval);
      const { runId } = runReportSchema.parse(JSON.parse(waiting.stdout));
      expect(waiting.stderr).toContain(`approve ${runId} --all`);
      const approved = await cli(["approve", runId, "--all", "--json"]);
      expect([EXIT.clean, EXIT.findings], approved.stderr).toContain(approved.code);
      const report = runReportSchema.parse(JSON.parse(approved.stdout));
      expect(report.status).toBe("completed");
      expect(report.actions.find((a) => a.code === "db.analyze_table")).toMatchObject({ status: "applied" });
      expect(leaks(waiting.stdout + waiting.stderr + approved.stdout + approved.stderr)).toEqual([]);
    } finally {
      await prisma.$disconnect();
    }
  });
});
