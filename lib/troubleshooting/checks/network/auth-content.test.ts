// The network bot judges what the site's APIs answer, not only their status: Auth.js routes sent
// to a login page, loopback names that are one host, APIs that answer their callers with a page.
// Against a loopback site shaped like a deployed Next.js app (fixtures/test/content-site.ts).
import { afterEach, describe, expect, it } from "vitest";
import { type ContentFaults, type ContentSite, startContentSite } from "../../../../fixtures/test/content-site";
import { diagnose, found } from "../../../../fixtures/test/site-bots";
import { testTarget } from "../../../../fixtures/test/engine";
import { noMemory } from "../../workflow/memory";
import { createSiteProbe } from "../../site/site-probe";
import { netApiNotJson } from "./api-not-json";

const NO_DATABASE = "postgresql://nobody:none@127.0.0.1:9/none";
const AUTH = ["/api/auth/session", "/api/auth/providers", "/api/auth/csrf"];

let site: ContentSite | undefined;
afterEach(async () => {
  await site?.close();
  site = undefined;
});

async function network(faults: ContentFaults, browser = false) {
  site = await startContentSite(faults);
  const result = await diagnose("network", testTarget(site.url, NO_DATABASE, { endpoints: AUTH.map((p) => `${site?.url}${p}`), browser }));
  return { result, findings: found(result), of: (code: string) => result.findings.filter((f) => f.code === code).map((f) => f.draft) };
}

describe("net.auth_broken: Auth.js must answer JSON, on the site's own host", () => {
  it("takes AUTH_URL on 127.0.0.1 as the site probed as localhost (one loopback host)", async () => {
    const { result, findings } = await network({});
    expect(findings).toEqual([]);
    expect(result.checks.find((c) => c.code === "net.auth_broken")?.status).toBe("passed");
    // Without the browser and with only Auth.js endpoints there is no API route to judge: not "passed".
    expect(result.checks.find((c) => c.code === "net.api_not_json")).toMatchObject({ status: "skipped", reason: expect.stringContaining("no /api/ route to judge") });
  });

  it("reports a session endpoint that redirects to the login page (a middleware matcher covering /api/auth) as high", async () => {
    const { findings, of } = await network({ authRedirect: true });
    expect(findings).toEqual([["net.auth_broken", "high", "/api/auth/session"]]);
    expect(of("net.auth_broken")[0]).toMatchObject({
      title: expect.stringContaining("redirects to /login"),
      evidence: { status: 307, location: "/login", finalStatus: 200, contentType: "text/html; charset=utf-8", bodyStart: expect.stringMatching(/^<!DOCTYPE html>/) },
      recommendation: expect.stringContaining("matcher"),
    });
  });

  it("still tells another host: www is not the apex, and another port is another site", async () => {
    for (const authUrl of ["http://www.localhost:PORT", "http://localhost:1"]) {
      site = await startContentSite({});
      site.faults.authUrl = authUrl.replace("PORT", String(site.port));
      const result = await diagnose("network", testTarget(site.url, NO_DATABASE, { endpoints: AUTH.map((p) => `${site?.url}${p}`) }));
      expect(found(result), authUrl).toEqual([["net.auth_broken", "high", "/api/auth/providers"]]);
      expect(result.findings[0]?.draft.evidence).toMatchObject({ providerUrl: new URL(site.faults.authUrl).origin });
      await site.close();
    }
    site = await startContentSite({});
    site.faults.authUrl = `http://[::1]:${site.port}`;
    const loopback = await diagnose("network", testTarget(site.url, NO_DATABASE, { endpoints: AUTH.map((p) => `${site?.url}${p}`) }));
    expect(found(loopback)).toEqual([]);
  });
});

describe("net.api_not_json: an API answering its callers with a page", () => {
  it("reports an API the home page fetches that answers 200 text/html, and one that redirects every page's call to /login", async () => {
    const { findings, of } = await network({ apiHtml: true, apiRedirect: true }, true);
    expect(findings.filter(([code]) => code === "net.api_not_json").sort()).toEqual([
      ["net.api_not_json", "high", "/api/me"],
      ["net.api_not_json", "high", "/api/status"],
    ]);
    const status = of("net.api_not_json").find((d) => d.subject.endsWith("/api/status"));
    expect(status?.evidence).toMatchObject({ status: 200, contentType: "text/html; charset=utf-8", calledBy: [`${site?.url}/`], foundBy: "browser" });
    const me = of("net.api_not_json").find((d) => d.subject.endsWith("/api/me"));
    expect(me?.title).toMatch(/redirects to \/login/);
    expect(me?.evidence.calledBy).toHaveLength(3);
    expect(me?.recommendation).toMatch(/middleware/);
  });

  it("passes a healthy site, whose HTML-fragment API is meant to answer HTML", async () => {
    const { result, findings } = await network({}, true);
    expect(findings).toEqual([]);
    expect(result.checks.find((c) => c.code === "net.api_not_json")?.status).toBe("passed");
    // It judged the routes: the fragment (HTML in the browser) asked for its body, the JSON ones by the browser's answer.
    const target = testTarget(site?.url as string, NO_DATABASE, { endpoints: [], browser: true });
    const signal = AbortSignal.timeout(40_000);
    const outcome = await netApiNotJson.run({ target, signal, site: createSiteProbe(target, signal), thresholds: {}, breakerThreshold: 5, memory: noMemory });
    expect(outcome).toMatchObject({ status: "passed", evidence: { asked: [`${site?.url}/api/fragment`], seenInBrowser: expect.arrayContaining([`${site?.url}/api/me`, `${site?.url}/api/status`]) } });
  });
});
