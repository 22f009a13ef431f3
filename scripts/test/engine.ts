// A troubleshooting engine on a test database, with short timeouts and the rule reasoner.
import { createPrismaClient } from "../../lib/db";
import type { Target } from "../../lib/troubleshooting/catalogue";
import { CHECKS } from "../../lib/troubleshooting/checks";
import type { EngineDeps, EngineSettings } from "../../lib/troubleshooting/deps";
import { type Engine, closeEngine, createEngine } from "../../lib/troubleshooting/engine";
import { FIX_ACTIONS } from "../../lib/troubleshooting/fixes";
import { ruleReasoner } from "../../lib/troubleshooting/reasoner";

/** Short timeouts, for tests. */
export const TEST_SETTINGS: EngineSettings = { checkTimeoutMs: 5_000, diagnosticTimeoutMs: 15_000, fixTimeoutMs: 10_000, breakerThreshold: 5, thresholdOverrides: {} };

export async function createTestEngine(databaseUrl: string, overrides: Partial<EngineDeps> = {}): Promise<Engine> {
  const deps: EngineDeps = {
    prisma: createPrismaClient(databaseUrl),
    reasoner: ruleReasoner,
    settings: TEST_SETTINGS,
    checks: CHECKS,
    fixes: FIX_ACTIONS,
    ...overrides,
  };
  return createEngine(deps, databaseUrl);
}

export { closeEngine };

/** A target for tests: a site (default: a port nothing listens on) and a database. */
export function testTarget(baseUrl: string, databaseUrl: string, overrides: Partial<Target> = {}): Target {
  return { baseUrl, databaseUrl, endpoints: [], browser: false, ...overrides };
}
