// The target database URL carries a password. The graph's state is checkpointed in Postgres and
// may be traced to LangSmith, so it holds the URL redacted; the process that starts a run keeps
// the real one here, and any other process resolves it from its own configuration or, for a
// stored target (model Target), from its sealed secrets: drive() opens them for the run
// (withRunTarget) and the nodes find them in this async context.
import { AsyncLocalStorage } from "node:async_hooks";
import type { Target } from "../catalogue";
import { redactDatabaseUrl } from "../probes/database";
import type { Credentials } from "../site/credentials";
import type { EngineSettings } from "../workflow/deps";

const REDACTED = "***";
const known = new Map<string, string>();

/** What a run on a stored target needs from its secrets while it executes in this process. */
export interface RunTargetSecrets {
  /** The database URL with its password. */
  databaseUrl: string;
  /** The stored target's own credentials, bound to its origin; null when it has none. */
  credentials: Credentials | null;
}

const runTargets = new AsyncLocalStorage<RunTargetSecrets>();

/** Runs `work` (a graph invocation) with a stored target's secrets in reach of its nodes; with
 * null (the default target) the process's configuration applies, as before. */
export function withRunTarget<T>(secrets: RunTargetSecrets | null, work: () => T): T {
  return secrets ? runTargets.run(secrets, work) : work();
}

/** True while a node of a run on a stored target executes. */
export function onStoredTarget(): boolean {
  return runTargets.getStore() !== undefined;
}

/** The target as the graph state may hold it; remembers the real URL for this process. */
export function sealTarget(target: Target): Target {
  const sealed = redactDatabaseUrl(target.databaseUrl);
  if (sealed !== target.databaseUrl) known.set(sealed, target.databaseUrl);
  return { ...target, databaseUrl: sealed };
}

/** The target with its real database URL, for probes and fixes. `configuredUrl` is this process's
 * configured target database URL (EngineSettings.targetDatabaseUrl), for a run another process started. */
export function openTarget(target: Target, configuredUrl?: string): Target {
  return { ...target, databaseUrl: openDatabaseUrl(target.databaseUrl, configuredUrl) };
}

/** openTarget for the database URL alone (`sealed` as the run keeps it). Throws when this process
 * does not know its password. */
export function openDatabaseUrl(sealed: string, configuredUrl?: string): string {
  if (new URL(sealed).password !== REDACTED) return sealed;
  const stored = runTargets.getStore();
  if (stored) {
    // A stored target's run never falls back to the configured URL: that is another database.
    if (redactDatabaseUrl(stored.databaseUrl) === sealed) return stored.databaseUrl;
    throw new Error("the run's database URL is not its stored target's");
  }
  const real = known.get(sealed) ?? (configuredUrl && redactDatabaseUrl(configuredUrl) === sealed ? configuredUrl : undefined);
  if (!real) throw new Error("the run's database URL was given to another process (the CLI) and is unknown here");
  return real;
}

/**
 * Makes `settings.site` and `settings.integrations` follow the run that reads them: a run on a
 * stored target gets that target's credentials (and none of the configured ones: they belong to
 * the default platform), and none of the configured platform's controls (revalidation, deploy
 * hook, Vercel project), which would act on the default platform. In place, so that a caller
 * holding `settings` sees the same object.
 */
export function scopeSettingsToRun(settings: EngineSettings): EngineSettings {
  let site = settings.site;
  let integrations = settings.integrations;
  Object.defineProperty(settings, "site", {
    enumerable: true,
    configurable: true,
    get: () => {
      const stored = runTargets.getStore();
      return stored ? { ...site, credentials: stored.credentials } : site;
    },
    set: (value: EngineSettings["site"]) => {
      site = value;
    },
  });
  Object.defineProperty(settings, "integrations", {
    enumerable: true,
    configurable: true,
    get: () => (runTargets.getStore() ? {} : integrations),
    set: (value: EngineSettings["integrations"]) => {
      integrations = value;
    },
  });
  return settings;
}
