// A stored target as a run, a probe or the live database view uses it: its database URL with the
// password, its endpoints as absolute URLs and its credentials, opened from the sealed secrets.
// Only for the process that runs against it: never hand the result to a page or a log.
import type { Target as TargetRow } from "../generated/prisma/client";
import type { Target } from "../troubleshooting/catalogue";
import type { Credentials } from "../troubleshooting/site/credentials";
import { type TargetSecrets, openTargetSecrets } from "./secrets";

export interface OpenedTarget {
  /** The run's target: database URL with its password, endpoints absolute. */
  target: Target;
  /** Sent only to the target's own origin over verified https (credentialHeaders). */
  credentials: Credentials | null;
  secrets: TargetSecrets;
}

/** `secret`: the add-on's secret (AUTH_SECRET). Throws when the secrets cannot be opened. */
export function openStoredTarget(row: TargetRow, secret: string): OpenedTarget {
  const secrets = openTargetSecrets(row.sealedSecrets, secret);
  const databaseUrl = new URL(row.databaseUrl);
  if (secrets.databasePassword) databaseUrl.password = encodeURIComponent(secrets.databasePassword);
  const absolute = (ref: string) => new URL(ref, row.baseUrl).toString();
  const origin = new URL(row.baseUrl).origin;
  return {
    target: {
      baseUrl: row.baseUrl,
      databaseUrl: databaseUrl.toString(),
      endpoints: row.endpoints.length ? [...new Set(row.endpoints.map(absolute))] : [],
      presetEndpoints: [],
      pages: row.pages.map(absolute),
      browser: true,
    },
    credentials: secrets.sessionCookie || secrets.bearerToken ? { origin, cookie: secrets.sessionCookie, bearer: secrets.bearerToken } : null,
    secrets,
  };
}
