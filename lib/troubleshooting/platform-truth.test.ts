// The web and network bots against the platform twin, a real Next.js App Router platform built by
// `next build` (fixtures/platform): on the healthy twin they report nothing of medium or worse, also
// while four CPU-busy processes share the two cores; with every fault on they find each fault by
// its subject and nothing false; with an admin's session they check the admin pages as an admin
// sees them. Discovery finds the pages the client renders links to, and judges the target by its
// own routes, not by the add-on's preset.
import { beforeAll, describe, expect, it } from "vitest";
import { keepCoresBusy } from "../../scripts/test/busy-cores";
import { type TestCertificates, makeCertificates } from "../../scripts/test/certificates";
import { TWIN_ADMIN } from "../../scripts/test/platform-twin";
import { twinPerTest } from "../../scripts/test/twin-harness";
import { TWIN_FAULT_NAMES, diagnoseSite, judge, startExpiredThirdParty, twinTarget } from "../../scripts/test/twin-truth";

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
