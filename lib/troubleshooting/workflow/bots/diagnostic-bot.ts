// A diagnostic bot runs its domain's slice of the check catalogue: checks in parallel, each
// under its own time limit (run-check.ts) and its dependency's circuit breaker, the whole bot
// under the bot timeout. A bot that runs out of time keeps what finished and reports the rest as
// errors.
import { setMaxListeners } from "node:events";
import { TaskCancelledError } from "cockatiel";
import type { Check, CheckOutcome, IssueDraft, Target, Thresholds } from "../../catalogue";
import { CHECKS, checksFor } from "../../checks";
import { type CheckMemory, noMemory } from "../memory";
import { breakerFor, withDeadline } from "../../probes/resilience";
import { failureReason, runCheck } from "./run-check";
import { publishable } from "../../plain-text";
import type { CheckResult, Domain } from "../../report";
import { type SiteProbe, type SiteProbeOptions, createSiteProbe } from "../../site/site-probe";

export interface Finding {
  code: string;
  domain: Domain;
  draft: IssueDraft;
}

export interface DiagnosticResult {
  domain: Domain;
  checks: CheckResult[];
  findings: Finding[];
  /** Why the bot did not finish, when it did not. */
  degraded?: string;
}

export interface DiagnosticOptions {
  checkTimeoutMs: number;
  botTimeoutMs: number;
  breakerThreshold: number;
  /** Per check code, values that replace the check's default thresholds. */
  thresholdOverrides?: Record<string, Thresholds>;
  catalogue?: readonly Check[];
  memory?: CheckMemory;
  /** Credentials and the Chromium to use for the target's pages and endpoints. */
  site?: SiteProbeOptions;
  /** A probe of the site shared with the run's other bots (shared-probe.ts); else the bot makes its own. */
  siteProbe?: SiteProbe;
  signal?: AbortSignal;
  /** Called as each check finishes (for live events). Its failure fails runDiagnostics. */
  onCheck?: (result: CheckResult, findings: Finding[]) => Promise<void> | void;
}

const DEFAULT_DIAGNOSTIC_OPTIONS: DiagnosticOptions = { checkTimeoutMs: 10_000, botTimeoutMs: 30_000, breakerThreshold: 5 };

function dependencyKey(domain: Domain, target: Target): string {
  if (domain !== "database") return `${domain}:${new URL(target.baseUrl).host}`;
  const url = new URL(target.databaseUrl);
  return `database:${url.host}${url.pathname}`;
}

export function createDiagnosticBot(domain: Domain) {
  return {
    domain,
    name: `${domain}-diagnostic`,
    async runDiagnostics(target: Target, options: DiagnosticOptions = DEFAULT_DIAGNOSTIC_OPTIONS): Promise<DiagnosticResult> {
      const checks = checksFor(domain, options.catalogue ?? CHECKS);
      const done = new Map<string, CheckResult>();
      const findings: Finding[] = [];
      const breaker = breakerFor(dependencyKey(domain, target), options.breakerThreshold);

      const runOne = async (check: Check, botSignal: AbortSignal, site: SiteProbe) => {
        const started = performance.now();
        const outcome = await breaker
          .execute(() =>
            runCheck(check, { target, breakerThreshold: options.breakerThreshold, memory: options.memory ?? noMemory, site, overrides: options.thresholdOverrides?.[check.code] }, options.checkTimeoutMs, botSignal),
          )
          .catch((err: unknown): CheckOutcome => ({ status: "error", reason: failureReason(err) }));
        if (botSignal.aborted) return;
        const result: CheckResult = { code: check.code, domain, status: outcome.status, durationMs: Math.round(performance.now() - started) };
        if (outcome.status === "skipped" || outcome.status === "error") result.reason = outcome.reason;
        else if (outcome.note) result.note = outcome.note;
        const own = outcome.status === "issues" ? dedupe(outcome.issues).map((draft) => ({ code: check.code, domain, draft })) : [];
        done.set(check.code, result);
        findings.push(...own);
        try {
          await options.onCheck?.(result, own);
        } catch (err) {
          throw new CallerFailed(err);
        }
      };

      let degraded: string | undefined;
      try {
        await withDeadline(
          options.botTimeoutMs,
          (signal) => {
            setMaxListeners(checks.length * 4 + 10, signal); // each check listens for the bot's deadline
            const site = options.siteProbe ?? createSiteProbe(target, signal, options.site);
            return Promise.all(checks.map((c) => runOne(c, signal, site)));
          },
          options.signal,
        );
      } catch (err) {
        if (options.signal?.aborted) throw err;
        if (err instanceof CallerFailed) throw err.cause; // the caller's failure, not the bot's
        degraded = err instanceof TaskCancelledError ? `the ${domain} bot timed out after ${options.botTimeoutMs} ms` : `the ${domain} bot failed (${err instanceof Error ? `${err.name}: ${err.message}` : "error"})`;
      }
      const results = checks.map(
        (check) => done.get(check.code) ?? { code: check.code, domain, status: "error" as const, durationMs: options.botTimeoutMs, reason: degraded ?? "did not finish" },
      );
      return { domain, checks: results, findings, degraded };
    },
  };
}

class CallerFailed extends Error {
  constructor(override readonly cause: unknown) {
    super("onCheck failed");
  }
}

/** One draft per subject, as it may be stored and shown (plain-text.ts). */
function dedupe(drafts: IssueDraft[]): IssueDraft[] {
  const seen = new Set<string>();
  return drafts.filter((d) => !seen.has(d.subject) && seen.add(d.subject)).map(publishable);
}
