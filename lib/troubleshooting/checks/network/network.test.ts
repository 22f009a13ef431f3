import { afterEach, describe, expect, it } from "vitest";
import { makeCertificates } from "../../../../fixtures/test/certificates";
import { CREDENTIALS, type Faults, type FaultSite, startFaultSite } from "../../../../fixtures/test/fault-site";
import { diagnose, found, notPassed, siteTarget, startSecureFaultSite } from "../../../../fixtures/test/site-bots";
import type { Target, Thresholds } from "../../catalogue";

let site: FaultSite | undefined;
afterEach(async () => {
  await site?.close();
  site = undefined;
});

async function networkFindings(faults: Faults, options: { thresholds?: Record<string, Thresholds>; target?: Partial<Target> } = {}) {
  site = await startFaultSite({ faults });
  const result = await diagnose("network", siteTarget(site.url, options.target), { thresholds: options.thresholds });
  return { result, findings: found(result), evidence: (code: string) => result.findings.find((f) => f.code === code)?.draft.evidence };
}

describe("network bot", () => {
  it("finds nothing wrong with a healthy site, anonymous or with credentials", async () => {
    const { result, findings } = await networkFindings({});
    expect(findings).toEqual([]);
    expect(notPassed(result).sort()).toEqual([
      "net.dns_failure:skipped(not applicable: the target is addressed by IP, there is no name to resolve)",
      "net.http_not_redirected:skipped(not applicable: the target is served over plain http)",
      "net.tls_expiring:skipped(not applicable: no https origins)",
      "net.tls_invalid:skipped(not applicable: no https origins)",
    ]);
    const withCredentials = await diagnose("network", siteTarget(site!.url), { credentials: { origin: site!.url, bearer: CREDENTIALS.bearer } });
    expect(found(withCredentials)).toEqual([]);
  });

  it("reports an admin endpoint that answers anonymous requests as critical", async () => {
    const { findings, evidence } = await networkFindings({ anonymousAdmin: true });
    expect(findings).toEqual([["net.unprotected_admin_api", "critical", "/api/admin/bots/health"]]);
    expect(evidence("net.unprotected_admin_api")).toMatchObject({ status: 200, requestCredentials: "none" });
  });

  it("reports a broken session endpoint", async () => {
    const { findings, evidence } = await networkFindings({ brokenSession: true });
    expect(findings).toEqual(expect.arrayContaining([["net.auth_broken", "high", "/api/auth/session"]]));
    expect(evidence("net.auth_broken")).toMatchObject({ status: 500 });
  });

  it("reports Auth.js sending logins to another host (the AUTH_URL mistake)", async () => {
    const { findings, evidence } = await networkFindings({ wrongAuthUrl: true });
    expect(findings).toEqual([["net.auth_broken", "high", "/api/auth/providers"]]);
    expect(evidence("net.auth_broken")).toMatchObject({ providerUrl: "https://wrong.example.com" });
  });

  it("reports 429 with its Retry-After", async () => {
    const { findings, evidence } = await networkFindings({ rateLimited: true });
    expect(findings).toEqual([["net.rate_limited", "medium", "/api/status"]]);
    expect(evidence("net.rate_limited")).toMatchObject({ retryAfter: "30" });
  });

  it("reports a slow endpoint by its median (10 samples are too few for a p95), confirmed by measuring again", async () => {
    const { findings, evidence } = await networkFindings({ slowEndpoint: 1_200 });
    expect(findings).toEqual([["net.high_latency", "medium", "/api/auth/providers"]]);
    expect(evidence("net.high_latency")).toMatchObject({ statistic: "median", medianMs: expect.any(Number) });
    expect((evidence("net.high_latency") as { medianMs: number }).medianMs).toBeGreaterThan(1_000);
  });

  it("reports an endpoint that never answers as a timeout", async () => {
    const timeout = { timeoutMs: 800 };
    const { result, findings } = await networkFindings({ hangingEndpoint: true }, { thresholds: { "net.timeouts": timeout, "net.high_latency": timeout, "net.endpoint_errors": timeout, "net.rate_limited": timeout } });
    expect(findings).toEqual([["net.timeouts", "high", "/api/auth/csrf"]]);
    expect(result.checks.filter((c) => c.status === "error")).toEqual([]);
  });

  it("reports a wildcard CORS policy with credentials on every endpoint that has it", async () => {
    const { findings, evidence } = await networkFindings({ wildcardCors: true });
    expect(findings.map(([code, severity]) => `${code}:${severity}`)).toEqual(Array(7).fill("net.cors_misconfigured:high"));
    expect(evidence("net.cors_misconfigured")).toMatchObject({ accessControlAllowOrigin: "*", accessControlAllowCredentials: "true" });
  });

  it("reports an endpoint that answers 500 and one that is down, naming the failed stage", async () => {
    // The base URL alone is healthy even though /logs fails: only configured endpoints are sampled.
    const { findings } = await networkFindings({ endpoint500: true }, { target: { endpoints: [] } });
    expect(findings).toEqual([]);
    await site?.close();
    const secure = await startSecureFaultSite({ endpoint500: true }); // credentials ride only on verified TLS
    site = secure.site;
    const result = await diagnose("network", secure.target({ endpoints: [`${site.url}/api/admin/bots/logs`, "http://127.0.0.1:9/api/status"], expectedStatus: {} }), {
      credentials: { origin: site.url, bearer: CREDENTIALS.bearer },
    });
    expect(found(result)).toEqual(expect.arrayContaining([["net.endpoint_errors", "high", "/api/admin/bots/logs"], ["net.endpoint_down", "high", "/api/status"]]));
    expect(result.findings.find((f) => f.code === "net.endpoint_down")?.draft.evidence).toMatchObject({ failedStage: "tcp" });
    expect(result.findings.find((f) => f.code === "net.endpoint_errors")?.draft.evidence).toMatchObject({ statuses: Array(10).fill(500), authenticated: true });
  });

  it("reports a host name that does not resolve", async () => {
    const { findings } = await networkFindings({}, { target: { endpoints: ["http://does-not-exist.invalid/api/status"] } });
    expect(findings).toEqual(expect.arrayContaining([["net.dns_failure", "high", "does-not-exist.invalid"], ["net.endpoint_down", "high", "/api/status"]]));
  });
});

describe("network bot, TLS", () => {
  async function tlsFindings(cert: "valid" | "expiringSoon" | "wrongHost" | "selfSigned" | "expired", faults: Faults = {}) {
    const certs = await makeCertificates();
    site = await startFaultSite({ tls: certs[cert], faults, host: "localhost" });
    const result = await diagnose("network", siteTarget(site.url, { caCertificates: certs.ca.cert }));
    return { result, findings: found(result), evidence: (code: string) => result.findings.find((f) => f.code === code)?.draft.evidence };
  }

  it("passes a valid certificate from a trusted CA, and plain http redirected to https", async () => {
    const { result, findings } = await tlsFindings("valid");
    expect(findings).toEqual([]);
    expect(result.checks.find((c) => c.code === "net.tls_invalid")?.status).toBe("passed");
    expect(result.checks.find((c) => c.code === "net.http_not_redirected")?.status).toBe("passed");
  });

  it("reports a certificate expiring in two days as critical", async () => {
    const { findings, evidence } = await tlsFindings("expiringSoon");
    expect(findings).toEqual([["net.tls_expiring", "critical", "/"]]);
    expect((evidence("net.tls_expiring") as { daysLeft: number }).daysLeft).toBeLessThan(3);
  });

  it("reports a certificate for another host, a self-signed one and an expired one", async () => {
    const wrong = await tlsFindings("wrongHost");
    expect(wrong.findings).toEqual([["net.tls_invalid", "critical", "/"]]);
    expect(wrong.evidence("net.tls_invalid")).toMatchObject({ hostnameError: expect.stringContaining("localhost") });
    await site?.close();
    const selfSigned = await tlsFindings("selfSigned");
    expect(selfSigned.evidence("net.tls_invalid")).toMatchObject({ chainError: "DEPTH_ZERO_SELF_SIGNED_CERT" });
    await site?.close();
    const expired = await tlsFindings("expired");
    expect(expired.evidence("net.tls_invalid")).toMatchObject({ chainError: "CERT_HAS_EXPIRED" });
  });

  it("reports an https site that also serves plain http", async () => {
    const { findings } = await tlsFindings("valid", { plainHttpServed: true });
    expect(findings).toEqual([["net.http_not_redirected", "medium", "/"]]);
  });
});
