import { withTroubleshooter } from "./lib/mount/next-config.mjs";

const development = process.env.NODE_ENV === "development";

/** The add-on's own pages pass its web bot: no framing, no MIME sniffing, a strict referrer, HSTS.
 * The Content-Security-Policy is set per request by proxy.ts, since it carries a fresh nonce. */
const securityHeaders = [
  { key: "X-Content-Type-Options", value: "nosniff" },
  { key: "X-Frame-Options", value: "DENY" },
  { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
  // Browsers ignore it on plain http, so it is harmless on a laptop and effective behind https.
  ...(development ? [] : [{ key: "Strict-Transport-Security", value: "max-age=63072000; includeSubDomains" }]),
];

/** @type {import('next').NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  async headers() {
    return [{ source: "/(.*)", headers: securityHeaders }];
  },
};

// As any host: the add-on's server-only packages stay external, and forbidden()/unauthorized()
// render real 403/401 pages.
export default withTroubleshooter(nextConfig);
