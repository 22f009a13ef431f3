// The truth about the platform twin: which findings each of its faults must produce (recall),
// which others it may produce as a consequence, and what its always-on traps may produce at most
// (precision). Shared by the truth tests and the bench's truth section.
import https from "node:https";
import type { AddressInfo } from "node:net";
import type { Target } from "../../lib/troubleshooting/catalogue";
import { type DiagnosticResult, type Finding, createDiagnosticBot } from "../../lib/troubleshooting/bots/diagnostic-bot";
import type { Severity } from "../../lib/troubleshooting/report";
import { SEVERITIES } from "../../lib/troubleshooting/report";
import type { Credentials } from "../../lib/troubleshooting/site/credentials";
import { ENDPOINT_PRESETS } from "../../lib/troubleshooting/site/endpoints";
import { createSiteProbe } from "../../lib/troubleshooting/site/site-probe";
import type { TestCertificates } from "./certificates";
import { TWIN_FAULT_NAMES, type TwinFault } from "./platform-twin";

interface Expected {
  code: string;
  /** The finding's subject: a path on the twin, or "third-party" (the expired script's origin). */
  subject: RegExp | "third-party";
  /** Found only by a run with an admin's session (the page that calls it is an admin page). */
  loggedIn?: boolean;
}

interface Truth {
  /** Each must be found (recall). */
  found: Expected[];
  /** What the fault may also cause, correctly (a consequence, not a false alarm). */
  alsoTrue?: Expected[];
}

const at = (path: string) => new RegExp(`^${path.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")}$`);

export const TWIN_TRUTH: Record<TwinFault, Truth> = {
  "admin-api-open": { found: [{ code: "net.data_exposure", subject: at("/api/admin/users") }] },
  "debug-endpoints": {
    found: [
      { code: "net.config_exposure", subject: at("/api/debug") },
      { code: "net.config_exposure", subject: at("/api/debug/config") },
    ],
  },
  "dotfiles-exposed": {
    found: [
      { code: "net.config_exposure", subject: at("/.env") },
      { code: "net.config_exposure", subject: at("/.git/config") },
    ],
  },
  "admin-page-open": { found: [{ code: "web.admin_page_exposed", subject: at("/admin/users") }] },
  "api-404": {
    found: [
      { code: "net.endpoint_errors", subject: at("/api/plans") },
      { code: "net.endpoint_errors", subject: at("/api/admin/reports"), loggedIn: true },
    ],
  },
  "chunk-html": {
    found: [{ code: "web.failed_assets", subject: /\/_next\/static\/chunks\/app-stale-4f2a9c1e\.js$/ }],
    // The browser runs the HTML as a script and throws on every page.
    alsoTrue: [{ code: "web.console_errors", subject: /./ }],
  },
  "auth-redirect": { found: [{ code: "net.auth_broken", subject: at("/api/auth/session") }] },
  "api-html": {
    found: [{ code: "net.api_not_json", subject: at("/api/status") }],
    alsoTrue: [{ code: "web.console_errors", subject: at("/") }],
  },
  "csp-blocks-scripts": { found: [{ code: "web.csp_blocks_scripts", subject: /./ }] },
  "third-party-expired": {
    found: [{ code: "net.tls_invalid", subject: "third-party" }],
    // Where the browser enforces the certificate, the script fails to load, as in a visitor's
    // browser: logged in, the twin's pages reach Chromium through the probe (which verified their
    // certificate), so Chromium takes their HSTS header, for localhost whatever the port.
    alsoTrue: [
      { code: "web.failed_requests", subject: "third-party" },
      { code: "web.failed_assets", subject: "third-party" },
    ],
  },
  "slow-api": { found: [{ code: "net.high_latency", subject: /^\/api\/search/ }] },
  "stack-trace": {
    found: [{ code: "net.config_exposure", subject: at("/api/health") }],
    alsoTrue: [{ code: "net.endpoint_errors", subject: at("/api/health") }],
  },
  "page-500": { found: [{ code: "web.page_error_status", subject: at("/changelog") }] },
};

/** The twin's traps (always on) and the most each may be reported as: a failing third-party
 * beacon is low at most, a Vercel-only script on a self-hosted site info. */
const TRAPS: { code: string; subject: RegExp; atMost: Severity }[] = [
  { code: "web.failed_assets", subject: /beacon\.analytics-twin\.invalid/, atMost: "low" },
  { code: "web.failed_requests", subject: /beacon\.analytics-twin\.invalid/, atMost: "low" },
  { code: "web.failed_assets", subject: /\/_vercel\/insights\//, atMost: "info" },
  { code: "web.failed_requests", subject: /\/_vercel\/insights\//, atMost: "info" },
];

const rank = (s: Severity) => SEVERITIES.length - SEVERITIES.indexOf(s); // critical highest

export interface TruthVerdict {
  /** Per fault: the expected findings and whether each was found. */
  recall: { fault: TwinFault; code: string; subject: string; found: boolean }[];
  /** Findings (info excluded) matched to no switched-on fault and no trap within its limit. */
  falseFindings: Finding[];
  /** Findings (info excluded) in all. */
  reported: number;
}

/** Judges a run's findings against the switched-on faults. `loggedIn` says whether the run had an
 * admin's session (some faults are only reachable then). */
export function judge(findings: Finding[], faults: readonly TwinFault[], context: { origin: string; thirdParty: string; loggedIn: boolean }): TruthVerdict {
  const subjectOf = (f: Finding) => {
    const s = f.draft.subject;
    if (!URL.canParse(s)) return s;
    const url = new URL(s);
    return url.origin === context.origin ? url.pathname + url.search : url.origin === context.thirdParty ? "third-party" : s;
  };
  const matches = (f: Finding, e: Expected) => {
    const subject = subjectOf(f);
    return f.code === e.code && (e.subject === "third-party" ? subject === "third-party" : e.subject.test(subject) || e.subject.test(f.draft.subject));
  };
  const recall = faults.flatMap((fault) =>
    TWIN_TRUTH[fault].found
      .filter((e) => context.loggedIn || !e.loggedIn)
      .map((e) => ({ fault, code: e.code, subject: String(e.subject), found: findings.some((f) => matches(f, e)) })),
  );
  const reported = findings.filter((f) => f.draft.severity !== "info");
  const falseFindings = reported.filter((f) => {
    const explained = faults.some((fault) => [...TWIN_TRUTH[fault].found, ...(TWIN_TRUTH[fault].alsoTrue ?? [])].some((e) => matches(f, e)));
    const trap = TRAPS.some((t) => t.code === f.code && t.subject.test(f.draft.subject) && rank(f.draft.severity) <= rank(t.atMost));
    return !explained && !trap;
  });
  return { recall, falseFindings, reported: reported.length };
}

/** The target a default installation makes of the twin: its base URL, the add-on's endpoint
 * preset (which the twin does not serve: it must not be judged by it), the browser on. */
export function twinTarget(url: string, certs: TestCertificates | null, overrides: Partial<Target> = {}): Target {
  const preset = ENDPOINT_PRESETS.addon.map((p) => new URL(p, url).toString());
  return {
    baseUrl: url,
    databaseUrl: "postgresql://nobody:none@127.0.0.1:9/none",
    endpoints: preset,
    presetEndpoints: preset,
    browser: true,
    caCertificates: certs?.ca.cert ?? null,
    ...overrides,
  };
}

/** The web and network bots over one shared probe of the site, as a run runs them. */
export async function diagnoseSite(target: Target, credentials: Credentials | null = null): Promise<{ web: DiagnosticResult; network: DiagnosticResult; findings: Finding[] }> {
  const controller = new AbortController();
  try {
    const siteProbe = createSiteProbe(target, controller.signal, { credentials });
    const options = { checkTimeoutMs: 25_000, botTimeoutMs: 60_000, breakerThreshold: 1_000, siteProbe };
    const [web, network] = await Promise.all([createDiagnosticBot("web").runDiagnostics(target, options), createDiagnosticBot("network").runDiagnostics(target, options)]);
    return { web, network, findings: [...web.findings, ...network.findings] };
  } finally {
    controller.abort();
  }
}

/** An https server with an expired certificate serving a small script: the third party of the
 * third-party-expired fault. */
export async function startExpiredThirdParty(certs: TestCertificates): Promise<{ scriptUrl: string; origin: string; close(): Promise<void> }> {
  const server = https.createServer({ cert: certs.expired.cert, key: certs.expired.key }, (_req, res) => void res.writeHead(200, { "content-type": "text/javascript" }).end("window.__widget = 1;"));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const origin = `https://localhost:${(server.address() as AddressInfo).port}`;
  return {
    scriptUrl: `${origin}/widget.js`,
    origin,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export { TWIN_FAULT_NAMES };
