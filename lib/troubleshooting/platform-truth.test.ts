// The web and network bots against the platform twin, a real Next.js App Router platform built by
// `next build` (fixtures/platform): on the healthy twin they report nothing of medium or worse, also
// while four CPU-busy processes share the two cores; with every fault on they find each fault by
// its subject and nothing false; with an admin's session they check the admin pages as an admin
// sees them. Discovery finds the pages the client renders links to, and judges the target by its
// own routes, not by the add-on's preset. The database bot on the twin's own database, with the
// app's Prisma pool open, is clean, and finds a failed release's lock and migration.
import pg from "pg";
import { beforeAll, describe, expect, it } from "vitest";
import { keepCoresBusy } from "../../fixtures/test/busy-cores";
import { type TestCertificates, makeCertificates } from "../../fixtures/test/certificates";
import { sleep } from "../../fixtures/test/checks";
import { DATABASE_FAULT_THRESHOLDS } from "../../fixtures/test/database-faults";
import { createTestDatabase } from "../../fixtures/test/databases";
import { TWIN_ADMIN, preparePlatformTwinDatabase, startPlatformTwin } from "../../fixtures/test/platform-twin";
import { twinPerTest } from "../../fixtures/test/twin-harness";
import { TWIN_FAULT_NAMES, diagnoseSite, judge, startExpiredThirdParty, twinTarget } from "../../fixtures/test/twin-truth";
import { databaseDiagnosticBot } from "./workflow/bots";

const WORSE_THAN_LOW = new Set(["critical", "high", "medium"]);

const twins = twinPerTest();
let certs: TestCertificates;
beforeAll(async () => {
  certs = await makeCertificates();
});

const serious = (findings: { code: string; draft: { severity: string; subject: string; title: string } }[]) =>
  findings.filter((f) => WORSE_THAN_LOW.has(f.draft.severity)).map((f) => `${f.code} ${f.draft.severity} ${f.draft.subject}: ${f.draft.title}`);

describe("the healthy platform twin", () => {
  it("is discovered whole: links rendered after hydration, the sitemap, the APIs its pages call; the add-on's preset routes it lacks are not judged", async () => {
    const twin = await twins.start();
    const { web, network, findings } = await diagnoseSite(twinTarget(twin.url, certs));
    expect(serious(findings)).toEqual([]);
    const coverage = web.checks.find((c) => c.code === "web.page_coverage");
    expect(coverage?.note).toMatch(/^Checked 1[5-9] pages \(1 from the start page, \d+ from links rendered in the browser, \d+ from the sitemap\)/);
    expect(network.checks.find((c) => c.code === "net.endpoint_errors")?.status).toBe("passed");
    // No finding names a route of the add-on's preset: the twin does not serve them.
    expect(findings.filter((f) => f.draft.subject.includes("/api/admin/bots/"))).toEqual([]);
  });

  it("without the browser, says that only one page could be checked and why", async () => {
    const twin = await twins.start();
    const { web, findings } = await diagnoseSite(twinTarget(twin.url, certs, { browser: false }));
    expect(serious(findings)).toEqual([]);
    expect(web.checks.find((c) => c.code === "web.page_coverage")?.note).toMatch(/^Checked \d+ pages? .*the browser did not run/);
  });

  describe("while four CPU-busy processes share the two cores", () => {
    keepCoresBusy(4);

    it("reports nothing of medium or worse in any of 3 runs (with the 2 quiet runs above: 5)", async () => {
      const twin = await twins.start();
      const runs: string[][] = [];
      for (let i = 0; i < 3; i++) runs.push(serious((await diagnoseSite(twinTarget(twin.url, certs))).findings));
      expect(runs).toEqual([[], [], []]);
    });
  });
});

describe("the platform twin with every fault on", () => {
  it("finds each fault by its subject, and nothing false", async () => {
    const thirdParty = await startExpiredThirdParty(certs);
    try {
      const twin = await twins.start({ faults: "all", externalScriptUrl: thirdParty.scriptUrl });
      const { findings } = await diagnoseSite(twinTarget(twin.url, certs));
      const verdict = judge(findings, TWIN_FAULT_NAMES, { origin: new URL(twin.url).origin, thirdParty: thirdParty.origin, loggedIn: false });
      expect(verdict.recall.filter((r) => !r.found)).toEqual([]);
      expect(verdict.falseFindings.map((f) => `${f.code} ${f.draft.severity} ${f.draft.subject}: ${f.draft.title}`)).toEqual([]);
    } finally {
      await thirdParty.close();
    }
  });
});

describe("logged-in checks", () => {
  it("carry an admin's session into the browser over verified TLS: the admin pages are checked as an admin sees them, and an API they call that answers 404 is a broken feature", async () => {
    const twin = await twins.start({ faults: ["api-404"], tls: certs.valid });
    const cookie = await twin.signIn(TWIN_ADMIN.email, TWIN_ADMIN.password);
    const { web, findings } = await diagnoseSite(twinTarget(twin.url, certs), { origin: "https://configured-elsewhere.invalid", cookie });
    expect(web.checks.find((c) => c.code === "web.page_coverage")?.note).toMatch(/^Checked \d+ pages/);
    const verdict = judge(findings, ["api-404"], { origin: new URL(twin.url).origin, thirdParty: "none", loggedIn: true });
    expect(verdict.recall).toEqual([
      expect.objectContaining({ subject: String(/^\/api\/plans$/), found: true }),
      expect.objectContaining({ subject: String(/^\/api\/admin\/reports$/), found: true }),
    ]);
    expect(verdict.falseFindings.map((f) => `${f.code} ${f.draft.severity} ${f.draft.subject}`)).toEqual([]);
    // Found because /admin/orders was loaded with the admin's session and requested it.
    const reports = findings.find((f) => f.draft.subject.endsWith("/api/admin/reports"));
    expect(reports?.draft).toMatchObject({ severity: "high", evidence: { calledBy: [expect.stringMatching(/\/admin\/orders$/)] } });
    expect(JSON.stringify(findings)).not.toContain(cookie.split("=")[1] as string);
  });
});

describe("the twin's own database, while the twin serves its pages", () => {
  it("gives nothing of medium or worse; a dead deploy holding Prisma's lock and a migration whose unique index failed are found with their evidence", async () => {
    const databaseUrl = await createTestDatabase({ migrate: false });
    await preparePlatformTwinDatabase(databaseUrl);
    const twin = await startPlatformTwin({ databaseUrl });
    const sql = new pg.Client({ connectionString: databaseUrl, application_name: "release-step" });
    try {
      // The app's own Prisma pool is open and idle, as in production between requests.
      for (const page of ["/", "/blog", "/pricing"]) expect((await fetch(new URL(page, twin.url))).status).toBe(200);
      const diagnose = () =>
        databaseDiagnosticBot.runDiagnostics(
          { baseUrl: twin.url, databaseUrl, endpoints: [], browser: false },
          { checkTimeoutMs: 10_000, botTimeoutMs: 30_000, breakerThreshold: 100, thresholdOverrides: DATABASE_FAULT_THRESHOLDS },
        );
      const healthy = await diagnose();
      expect(serious(healthy.findings)).toEqual([]);
      expect(healthy.checks.filter((c) => c.status === "error")).toEqual([]);

      // A release whose migration adds a unique (order, sku) while the data has a duplicate line,
      // then dies with Prisma's lock held by its idle session.
      await sql.connect();
      await sql.query("INSERT INTO order_items (order_id, sku, quantity, unit_price_cents) SELECT order_id, sku, 1, unit_price_cents FROM order_items ORDER BY id LIMIT 1");
      const failure = await sql.query("CREATE UNIQUE INDEX CONCURRENTLY order_items_order_id_sku_key ON order_items (order_id, sku)").then(() => "", (err: Error) => err.message);
      expect(failure).toMatch(/could not create unique index/);
      await sql.query(
        `INSERT INTO _prisma_migrations (id, checksum, migration_name, started_at, applied_steps_count, logs)
         VALUES ('release-42', 'c0ffee', '20261130120000_unique_order_line', now() - interval '20 minutes', 0, $1)`,
        [`Migration name: 20261130120000_unique_order_line\n\nDatabase error code: 23505\n\nDatabase error:\nERROR: ${failure}`],
      );
      await sql.query("SELECT pg_advisory_lock(72707369)");
      await sleep(1_200);

      const { findings } = await diagnose();
      const lock = findings.find((f) => f.code === "db.advisory_locks");
      expect(lock?.draft).toMatchObject({ severity: "high", evidence: { pid: expect.any(Number), application: "release-step", prismaMigrateLock: true } });
      const migration = findings.find((f) => f.code === "db.prisma_migrations_failed");
      expect(migration?.draft).toMatchObject({
        severity: "critical",
        subject: "20261130120000_unique_order_line",
        evidence: { invalidIndexes: [expect.objectContaining({ index: "order_items_order_id_sku_key", duplicateKeyGroups: 1, duplicateRows: 2 })] },
      });
      expect(findings.filter((f) => f.code === "db.invalid_indexes")).toEqual([]); // one finding, not two
      expect(serious(findings).filter((line) => !/^db\.(advisory_locks|prisma_migrations_failed) /.test(line))).toEqual([]);
    } finally {
      await sql.end().catch(() => {});
      await twin.close();
    }
  });
});
