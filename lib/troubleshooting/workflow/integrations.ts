// The platform's own controls that web fixes may use: on-demand revalidation, a deploy hook and
// the Vercel API. Their secrets stay in this process (never in graph state, events or reports);
// planning sees only which of them are configured.
import type { Env } from "../../env";

export interface Integrations {
  revalidate?: { url: string; secret: string };
  deployHook?: { url: string };
  vercel?: { apiUrl: string; token: string; projectId: string; teamId?: string };
}

export type IntegrationName = keyof Integrations;

export function integrationsFromEnv(config: Env): Integrations {
  return {
    ...(config.TARGET_REVALIDATE_URL && config.TARGET_REVALIDATE_SECRET
      ? { revalidate: { url: config.TARGET_REVALIDATE_URL, secret: config.TARGET_REVALIDATE_SECRET } }
      : {}),
    ...(config.VERCEL_DEPLOY_HOOK_URL ? { deployHook: { url: config.VERCEL_DEPLOY_HOOK_URL } } : {}),
    ...(config.VERCEL_TOKEN && config.VERCEL_PROJECT_ID
      ? { vercel: { apiUrl: config.VERCEL_API_URL.replace(/\/$/, ""), token: config.VERCEL_TOKEN, projectId: config.VERCEL_PROJECT_ID, teamId: config.VERCEL_TEAM_ID } }
      : {}),
  };
}

export function configuredIntegrations(integrations: Integrations): ReadonlySet<IntegrationName> {
  return new Set((Object.keys(integrations) as IntegrationName[]).filter((name) => integrations[name]));
}
