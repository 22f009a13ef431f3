import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPrismaClient } from "../../lib/db";
import { runReportSchema } from "../../lib/troubleshooting/report";
import { runTroubleshootCli } from "../../fixtures/test/cli";
import { createTestDatabase } from "../../fixtures/test/databases";
import { type TargetServer, startTargetServer } from "../../fixtures/test/target-server";

let databaseUrl: string;
let target: TargetServer;

beforeAll(async () => {
  databaseUrl = await createTestDatabase();
  target = await startTargetServer({ status: 503 });
});
afterAll(() => target.close());

const cli = (args: string[]) => runTroubleshootCli(args, { DATABASE_URL: databaseUrl, AUTH_SECRET: "c".repeat(40), TARGET_BASE_URL: target.url });

describe("npm run troubleshoot", () => {
  it("--json prints only a report that validates against the schema, and exits 0", async () => {
    const { code, stdout, stderr } = await cli(["--json", "--issue", "pages fail", "--no-browser", "--domains", "web,database"]);
    expect(code).toBe(0);
    const report = runReportSchema.parse(JSON.parse(stdout));
    expect(report).toMatchObject({ status: "completed", trigger: "cli", initialIssue: "pages fail", target: { baseUrl: target.url } });
    expect(report.issues.map((i) => i.code)).toContain("web.page_error_status");
    expect(report.checks.filter((c) => c.domain === "network").every((c) => c.status === "skipped")).toBe(true);
    expect(stderr).toContain("✓ final_report");
    expect(stdout).not.toContain("final_report (");
  });

  it("exits 2 with a usage message for bad arguments, and prints nothing on stdout", async () => {
    for (const args of [["--domains", "web,dns"], ["--auto-approve", "all"], ["--base-url", "ftp://x"], ["--bogus"], ["--enqueue", "--domains", "web"]]) {
      const { code, stdout, stderr } = await cli(args);
      expect(code, args.join(" ")).toBe(2);
      expect(stdout).toBe("");
      expect(stderr).toContain("usage: npm run troubleshoot");
    }
  });

  it("exits 1 when the run cannot start because another is active on the target", async () => {
    const prisma = createPrismaClient(databaseUrl);
    const dbKey = new URL(databaseUrl);
    const blocking = await prisma.troubleshootingRun.create({
      data: { trigger: "api", target: {}, targetKey: `${new URL(target.url).origin}|postgresql://${dbKey.host}${dbKey.pathname}`, status: "running" },
    });
    try {
      const { code, stderr } = await cli(["--json"]);
      expect(code).toBe(1);
      expect(stderr).toContain(blocking.id);
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
