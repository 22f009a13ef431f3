// Web advice: exact steps and ready snippets for what only the platform's code can change.
import { advice, str } from "../advice";

const HEADERS_SNIPPET = `// next.config.mjs
const securityHeaders = [
  { key: "Content-Security-Policy", value: "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; font-src 'self'; connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'" },
  { key: "Strict-Transport-Security", value: "max-age=63072000; includeSubDomains; preload" },
  { key: "X-Content-Type-Options", value: "nosniff" },
  { key: "X-Frame-Options", value: "DENY" },
  { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
];
export default {
  async headers() {
    return [{ source: "/(.*)", headers: securityHeaders }];
  },
};`;

export const webAdviseSecurityHeaders = advice("web", "web.advise_security_headers", ["web.missing_security_headers"], "Add the security headers", (issue) => {
  const missing = Array.isArray(issue.evidence.missing) ? issue.evidence.missing.map((m) => str((m as { header?: unknown }).header)).join(", ") : "the missing headers";
  return (
    `Missing: ${missing}. 1. Add a headers() block to next.config (below), merging with any you have. 2. Tighten the CSP to what the site loads ` +
    `(nonces via proxy.ts remove 'unsafe-inline' for scripts). 3. Deploy, then re-run troubleshooting.\n\n${HEADERS_SNIPPET}`
  );
});

export const webAdviseCacheHeaders = advice("web", "web.advise_cache_headers", ["web.missing_cache_headers"], "Cache hashed assets as immutable", () =>
  "1. Look for a headers() rule in next.config, a proxy or CDN rule that sets Cache-Control on /_next/static (Next.js itself sends `public, max-age=31536000, immutable`). " +
  "2. Remove the override, or set exactly that value for hashed paths. 3. Never cache HTML that way.",
);

export const webAdviseProtectAdminPage = advice("web", "web.advise_protect_admin_page", ["web.admin_page_exposed"], "Require an admin session on the page", (issue) =>
  `${str(issue.subject)} renders for anonymous visitors. Check the session in the page or its layout (a matcher in proxy.ts/middleware that misses the path is the usual cause; do not rely on it alone):\n\n` +
  `import { auth } from "@/auth";\nimport { forbidden, redirect } from "next/navigation";\nexport default async function AdminLayout({ children }: { children: React.ReactNode }) {\n  const session = await auth();\n  if (!session) redirect("/login");\n  if (session.user.role !== "admin") forbidden();\n  return children;\n}\n\nThen deploy and re-run troubleshooting.`,
);
