// Which injected fault each run found (by the check that should report it, on the page or
// endpoint it was injected on), the issues raised on the healthy target, and the fixes applied.
import type { Faults } from "../../fixtures/test/fault-site";
import type { RunReport } from "../../lib/troubleshooting/report";
import { DATABASE_FAULTS } from "./faulty-database";
import { target, textTable } from "./table";

/** Every switch of the fault site at once (slowRequests only limits slowFirstByte; left unset,
 * the home page stays slow). Each has its own page or endpoint, so none hides another. */
export const ALL_FAULTS: Required<Omit<Faults, "slowRequests">> = {
  slowFirstByte: 900, page500: true, missingChunk: true, browserThrows: true, hydrationMismatch: true, heavyPage: true,
  missingHeaders: true, uncachedAssets: true, redirectLoop: true, brokenLink: true, mixedContent: true, layoutShift: true,
  slowLcp: 2_800, anonymousAdmin: true, brokenSession: true, wrongAuthUrl: true, rateLimited: true, endpoint500: true,
  slowEndpoint: 1_200, hangingEndpoint: true, wildcardCors: true, flakyEndpoint: 12, plainHttpServed: true,
};

interface Probe {
  fault: string;
  check: string;
  /** The page, endpoint or object the finding must be about. */
  subject: RegExp;
}

const SITE_PROBES: Record<keyof typeof ALL_FAULTS, Omit<Probe, "fault">> = {
  slowFirstByte: { check: "web.slow_ttfb", subject: /^\/$/ },
  page500: { check: "web.page_error_status", subject: /^\/pricing$/ },
  missingChunk: { check: "web.failed_assets", subject: /main-3f9a2b1c\.js$/ },
  browserThrows: { check: "web.console_errors", subject: /^\/$/ },
  hydrationMismatch: { check: "web.hydration_error", subject: /^\/$/ },
  heavyPage: { check: "web.page_weight", subject: /^\/$/ },
  missingHeaders: { check: "web.missing_security_headers", subject: /./ },
  uncachedAssets: { check: "web.missing_cache_headers", subject: /./ },
  redirectLoop: { check: "web.redirect_loop", subject: /^\/loop/ },
  brokenLink: { check: "web.broken_links", subject: /^\/gone$/ },
  mixedContent: { check: "web.mixed_content", subject: /^\/$/ },
  layoutShift: { check: "web.layout_shift", subject: /^\/$/ },
  slowLcp: { check: "web.slow_page_load", subject: /^\/$/ },
  anonymousAdmin: { check: "net.unprotected_admin_api", subject: /^\/api\/admin\/bots\/health$/ },
  brokenSession: { check: "net.auth_broken", subject: /^\/api\/auth\/session$/ },
  wrongAuthUrl: { check: "net.auth_broken", subject: /^\/api\/auth\/providers$/ },
  rateLimited: { check: "net.rate_limited", subject: /^\/api\/status$/ },
  endpoint500: { check: "net.endpoint_errors", subject: /^\/api\/admin\/bots\/logs$/ },
  slowEndpoint: { check: "net.high_latency", subject: /^\/api\/auth\/providers$/ },
  hangingEndpoint: { check: "net.timeouts", subject: /^\/api\/auth\/csrf$/ },
  wildcardCors: { check: "net.cors_misconfigured", subject: /./ },
  flakyEndpoint: { check: "net.endpoint_errors", subject: /^\/api\/admin\/bots\/database$/ },
  plainHttpServed: { check: "net.http_not_redirected", subject: /./ },
};

export const PROBES: Probe[] = [
  ...Object.entries(SITE_PROBES).map(([fault, probe]) => ({ fault, ...probe })),
  ...DATABASE_FAULTS.map((f) => ({ fault: `database: ${f.fault}`, check: f.check, subject: f.subject })),
];

const subjectOf = (issue: RunReport["issues"][number]) => {
  const subject = String(issue.evidence.subject ?? "");
  return URL.canParse(subject) ? new URL(subject).pathname : subject;
};

export const found = (report: RunReport, probe: Probe) => report.issues.some((i) => i.code === probe.check && probe.subject.test(subjectOf(i)));

/** Prints and records detection over the faulty runs, false positives over the healthy ones,
 * and the fixes of the faulty runs; checks the targets. */
export function detectionTables(healthy: RunReport[], faulty: RunReport[]): void {
  textTable(
    "runs",
    "detection",
    `Detection: every fault injected at once (site faults and database faults), ${faulty.length} faulty runs`,
    PROBES.map((p) => {
      const hits = faulty.filter((r) => found(r, p)).length;
      return { fault: p.fault, check: p.check, result: hits === faulty.length ? "found" : hits === 0 ? "MISSED" : `found in ${hits}/${faulty.length}` };
    }),
  );
  const explained = (r: RunReport) => r.issues.filter((i) => !PROBES.some((p) => p.check === i.code && p.subject.test(subjectOf(i))));
  const extras = [...new Set(faulty.flatMap((r) => explained(r).map((i) => `${i.code} ${subjectOf(i)}`)))];
  if (extras.length > 0) console.log(`Also reported on the faulty target (consequences of the faults above): ${extras.join("; ")}`);

  const falsePositives = healthy.flatMap((r) => r.issues.map((i) => ({ run: r.runId, code: i.code, subject: subjectOf(i), title: i.title, query: String(i.evidence.query ?? "").slice(0, 120) })));
  textTable("runs", "falsePositives", `Issues raised on the healthy target (false positives), ${healthy.length} runs`, falsePositives.length ? falsePositives : [{ run: "-", code: "none" }]);
  const notPassed = [...new Set(healthy.flatMap((r) => r.checks.filter((c) => c.status !== "passed").map((c) => `${c.code} ${c.status}: ${c.reason ?? ""}`)))];
  textTable("runs", "healthyNotPassed", "Checks that did not pass on the healthy target (skipped: cannot judge or does not apply; error: could not run)", notPassed.map((line) => ({ check: line })));

  const actions = faulty.flatMap((r) => r.actions.map((a) => ({ ...a, run: r })));
  const codes = [...new Set(actions.map((a) => a.code))];
  textTable(
    "runs",
    "fixes",
    `Fix actions in the faulty runs (safe ones applied at once, every other one approved), ${faulty.length} runs`,
    codes.map((code) => {
      const mine = actions.filter((a) => a.code === code);
      const count = (pred: (a: (typeof mine)[number]) => boolean) => String(mine.filter(pred).length);
      const resolved = mine.filter((a) => a.issueIds.some((id) => a.run.issues.find((i) => i.id === id)?.status === "resolved")).length;
      return { action: code, planned: String(mine.length), applied: count((a) => a.status === "applied"), verified: count((a) => a.verified === true), advice: count((a) => a.status === "advice"), failed: count((a) => a.status === "failed"), issueResolved: String(resolved) };
    }),
  );
  const foundEverywhere = PROBES.filter((p) => faulty.every((r) => found(r, p))).length;
  target("injected faults found (in every faulty run)", (100 * foundEverywhere) / PROBES.length, "%", { atLeast: 100 });
  target("false positives on the healthy target (all runs)", falsePositives.length, "issues", { equals: 0 });
}
