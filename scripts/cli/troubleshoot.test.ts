import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPrismaClient } from "../../lib/db";
import { runReportSchema } from "../../lib/troubleshooting/report";
import { runTroubleshootCli } from "../../fixtures/test/cli";
import { createTestDatabase } from "../../fixtures/test/databases";
import { type TargetServer, startTargetServer } from "../../fixtures/test/target-server";
import { EXIT } from "./exit-codes";

let databaseUrl: string;
let target: TargetServer;

beforeAll(async () => {
  databaseUrl = await createTestDatabase();
  target = await startTargetServer({ status: 503 });
});
afterAll(() => target.close());

const cli = (args: string[]) => runTroubleshootCli(args, { DATABASE_URL: databaseUrl, AUTH_SECRET: "c".repeat(40), TARGET_BASE_URL: target.url });

describe("npm run troubleshoot", () => {
  it("--json with the default LOG_LEVEL: stdout is one JSON report (logs on stderr); --endpoints paths resolve against the base URL; exit 3 (findings)", async () => {
    const { code, stdout, stderr } = await runTroubleshootCli(
      ["--json", "--issue", "pages fail", "--no-browser", "--domains", "web,database", "--endpoints", "/api/x,/api/y=200"],
      { DATABASE_URL: databaseUrl, AUTH_SECRET: "c".repeat(40), TARGET_BASE_URL: target.url, LOG_LEVEL: "info" },
    );
    expect(code, stderr).toBe(EXIT.findings);
    const report = runReportSchema.parse(JSON.parse(stdout));
    expect(report).toMatchObject({ status: "completed", trigger: "cli", initialIssue: "pages fail", target: { baseUrl: target.url, endpoints: [`${target.url}/api/x`, `${target.url}/api/y`] } });
    expect(report.issues.map((i) => i.code)).toContain("web.page_error_status");
    expect(report.checks.filter((c) => c.domain === "network").every((c) => c.status === "skipped")).toBe(true);
    expect(stderr).toContain("✓ final_report");
    expect(stderr).toContain('"msg":"run ended"'); // the logger's line, on stderr
    expect(stdout).not.toContain("final_report (");
  });

  it("exits 2 with a usage message for bad arguments, naming the bad value once, and prints nothing on stdout (with --json, an error document)", async () => {
    for (const args of [["--domains", "web,dns"], ["--auto-approve", "all"], ["--base-url", "ftp://x"], ["--bogus"], ["--enqueue", "--domains", "web"], ["--endpoints", "/api/ok,ftp://bad"], ["approve", "cm1a2b3c4d5e6f7g8h9i0j"]]) {
      const { code, stdout, stderr } = await cli(args);
      expect(code, args.join(" ")).toBe(EXIT.usage);
      expect(stdout).toBe("");
      expect(stderr).toContain("usage: npm run troubleshoot");
    }
    // With --json, the refusal is a JSON document on stdout too.
    const json = await cli(["--json", "--domains", "web,dns"]);
    expect(json.code).toBe(EXIT.usage);
    expect(JSON.parse(json.stdout)).toEqual({ error: { exitCode: EXIT.usage, meaning: "bad arguments: nothing was done", message: '--domains: "dns" is not a domain (web, database or network)' } });
    const { stderr } = await cli(["--endpoints", "/api/ok,ftp://bad"]);
    expect(stderr.split("ftp://bad")).toHaveLength(2);
    expect(stderr).toContain('--endpoints: "ftp://bad" is neither a path on the base URL (/api/x) nor an http(s) URL without a user name or password');
  });

  it("--help shows examples and the exit codes, on stdout, exit 0", async () => {
    const { code, stdout } = await cli(["--help"]);
    expect(code).toBe(0);
    expect(stdout).toContain("examples:");
    expect(stdout).toContain("6 target busy");
  });

  it("exits 6 (target busy) when the run cannot start because another is active on the target, naming it", async () => {
    const prisma = createPrismaClient(databaseUrl);
    const dbKey = new URL(databaseUrl);
    const blocking = await prisma.troubleshootingRun.create({
      data: { trigger: "api", target: {}, targetKey: `${new URL(target.url).origin}|postgresql://${dbKey.host}${dbKey.pathname}`, status: "running" },
    });
    try {
      const { code, stdout, stderr } = await cli(["--json"]);
      expect(code).toBe(EXIT.targetBusy);
      // --json: one JSON document on stdout, whatever happens; here the error's.
      expect(JSON.parse(stdout)).toEqual({ error: { exitCode: EXIT.targetBusy, meaning: "target busy: another run on it is active; nothing was started" } });
      expect(stderr).toContain(`target busy: run ${blocking.id}`);
    } finally {
      await prisma.troubleshootingRun.delete({ where: { id: blocking.id } });
      await prisma.$disconnect();
    }
  });

  it("--enqueue queues the run for `npm run worker`, prints the job id, then \"already queued\"", async () => {
    const queued = await cli(["--enqueue", "--no-browser", "--issue", "queued from the CLI"]);
    expect(queued.code, queued.stderr).toBe(0);
    const jobId = queued.stdout.trim();
    expect(jobId).toMatch(/^[0-9a-f-]{36}$/);
    expect(await cli(["--enqueue", "--base-url", `${target.url}/elsewhere`])).toMatchObject({ code: 0, stdout: "already queued\n" });
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    try {
      const { rows } = await client.query<{ data: unknown; state: string }>("SELECT data, state FROM troubleshooter_queue.job WHERE id = $1", [jobId]);
      expect(rows).toEqual([{ state: "created", data: { target: { baseUrl: target.url, browser: false }, trigger: "cli", initialIssue: "queued from the CLI" } }]);
      await client.query("DELETE FROM troubleshooter_queue.job WHERE id = $1", [jobId]);
    } finally {
      await client.end();
    }
  });

  it("--list-checks lists the catalogues without touching a database", async () => {
    const { code, stdout } = await cli(["--list-checks", "--json"]);
    expect(code).toBe(0);
    const { checks, actions } = JSON.parse(stdout) as { checks: { code: string }[]; actions: { code: string; risk: string }[] };
    expect(checks.map((c) => c.code)).toContain("db.long_running_query");
    expect(actions).toContainEqual(expect.objectContaining({ code: "db.cancel_query", risk: "needs_approval" }));
  });
});
