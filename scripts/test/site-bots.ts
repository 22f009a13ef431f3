// Running the web or network bot against a fault site, as a run does.
import type { Target } from "../../lib/troubleshooting/catalogue";
import { type DiagnosticResult, createDiagnosticBot } from "../../lib/troubleshooting/bots/diagnostic-bot";
import type { Thresholds } from "../../lib/troubleshooting/catalogue";
import type { Domain } from "../../lib/troubleshooting/report";
import { ADDON_ENDPOINTS } from "../../lib/troubleshooting/site/endpoints";
import type { Credentials } from "../../lib/troubleshooting/site/credentials";
import { testTarget } from "./engine";
import { type FaultSite, type Faults, STATUS_ENDPOINT, startFaultSite } from "./fault-site";
import { makeCertificates } from "./certificates";

const NO_DATABASE = "postgresql://nobody:none@127.0.0.1:9/none";

/** The fault site's endpoints: this add-on's, Auth.js's, and its public status endpoint. */
export const siteEndpoints = (url: string) => [...ADDON_ENDPOINTS, STATUS_ENDPOINT].map((p) => `${url}${p}`);

/** A target for the fault site: its pages and endpoints. */
export function siteTarget(url: string, overrides: Partial<Target> = {}): Target {
  return testTarget(url, NO_DATABASE, { endpoints: siteEndpoints(url), ...overrides });
}

export function diagnose(
  domain: Domain,
  target: Target,
  options: { thresholds?: Record<string, Thresholds>; credentials?: Credentials; chromiumPath?: string } = {},
): Promise<DiagnosticResult> {
  return createDiagnosticBot(domain).runDiagnostics(target, {
    checkTimeoutMs: 25_000,
    botTimeoutMs: 40_000,
    breakerThreshold: 1_000,
    thresholdOverrides: options.thresholds,
    site: { credentials: options.credentials ?? null, chromiumPath: options.chromiumPath },
  });
}

/** The findings as [code, severity, subject path] for compact assertions. */
export function found(result: DiagnosticResult): [string, string, string][] {
  return result.findings.map((f) => [f.code, f.draft.severity, URL.canParse(f.draft.subject) ? new URL(f.draft.subject).pathname : f.draft.subject]);
}

/** Checks that did not pass, with their reasons (for "nothing else went wrong"). */
export function notPassed(result: DiagnosticResult): string[] {
  return result.checks.filter((c) => c.status !== "passed").map((c) => `${c.code}:${c.status}${c.reason ? `(${c.reason})` : ""}`);
}

/** The fault site over https (a test CA, trusted by the target): credentials ride only on verified TLS. */
export async function startSecureFaultSite(faults: Faults = {}): Promise<{ site: FaultSite; target: (overrides?: Partial<Target>) => Target }> {
  const certs = await makeCertificates();
  const site = await startFaultSite({ faults, tls: certs.valid, host: "localhost" });
  return { site, target: (overrides = {}) => siteTarget(site.url, { caCertificates: certs.ca.cert, ...overrides }) };
}
