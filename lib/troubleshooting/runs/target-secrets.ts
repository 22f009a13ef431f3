// The target database URL carries a password. The graph's state is checkpointed in Postgres and
// may be traced to LangSmith, so it holds the URL redacted; the process that starts a run keeps
// the real one here, and any other process resolves it from its own configuration.
import type { Target } from "../catalogue";
import { redactDatabaseUrl } from "../probes/database";

const REDACTED = "***";
const known = new Map<string, string>();

/** The target as the graph state may hold it; remembers the real URL for this process. */
export function sealTarget(target: Target): Target {
  const sealed = redactDatabaseUrl(target.databaseUrl);
  if (sealed !== target.databaseUrl) known.set(sealed, target.databaseUrl);
  return { ...target, databaseUrl: sealed };
}

/** The target with its real database URL, for probes and fixes. `configuredUrl` is this process's
 * configured target database URL (EngineSettings.targetDatabaseUrl), for a run another process started. */
export function openTarget(target: Target, configuredUrl?: string): Target {
  const url = new URL(target.databaseUrl);
  if (url.password !== REDACTED) return target;
  const real = known.get(target.databaseUrl) ?? (configuredUrl && redactDatabaseUrl(configuredUrl) === target.databaseUrl ? configuredUrl : undefined);
  if (!real) throw new Error("the run's database URL was given to another process (the CLI) and is unknown here");
  return { ...target, databaseUrl: real };
}
