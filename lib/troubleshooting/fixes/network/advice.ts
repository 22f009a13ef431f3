// Network advice: exact steps for what lives outside the application (certificates, DNS,
// configuration) or in its code (CORS, authorization). Host names the target controls go into a
// command as one quoted shell word, and the command ends its line (copying it runs only that).
import { advice, str } from "../advice";
import { shellArgument } from "../quote";

/** The host of a URL or bare host name, as one shell word. */
const hostArgument = (subject: string) => shellArgument(URL.canParse(subject) ? new URL(subject).hostname : subject);

export const netAdviseTlsRenewal = advice("network", "net.advise_tls_renewal", ["net.tls_invalid", "net.tls_expiring"], "Renew or replace the certificate", (issue) =>
  issue.evidence.hostnameError
    ? `The certificate for ${str(issue.subject)} does not list this host name (it covers ${str(issue.evidence.altNames)}). Issue one whose subjectAltName includes the host: on Vercel add the domain to the project (Settings → Domains) and it issues one; elsewhere run your ACME client, then reload the server: certbot certonly -d ${hostArgument(str(issue.subject))}`
    : `The certificate of ${str(issue.subject)} ends ${str(issue.evidence.validTo)}. 1. Renew it now (Vercel and most hosts renew managed certificates themselves: check the domain's status; with certbot: certbot renew --cert-name <name> and reload the server). ` +
      "2. Serve the full chain (leaf + intermediates). 3. Find why automatic renewal failed: the ACME client's log, and that the HTTP-01 path or DNS-01 record is reachable.",
);

export const netAdviseDns = advice("network", "net.advise_dns", ["net.dns_failure"], "Fix the DNS records", (issue) =>
  `1. Query the authoritative servers: dig +trace ${hostArgument(str(issue.subject))}\n2. At the DNS provider, create or fix the record (Vercel: A 76.76.21.21 for an apex, CNAME cname.vercel-dns.com for a subdomain). ` +
  "3. Check the domain's registration has not expired (whois). 4. Wait for the old record's TTL before re-running.",
);

export const netAdviseAuthUrl = advice("network", "net.advise_auth_url", ["net.auth_broken"], "Fix the Auth.js configuration", (issue) =>
  issue.evidence.providerUrl || issue.evidence.location
    ? `Auth.js builds its URLs from AUTH_URL (NEXTAUTH_URL in v4), which points at ${str(issue.evidence.providerUrl ?? issue.evidence.location)}. ` +
      "1. In the platform's environment variables set AUTH_URL to the site's public URL (or remove it and set AUTH_TRUST_HOST=true behind a proxy that forwards the Host header). 2. Redeploy (environment changes apply to new deployments only). 3. Re-run troubleshooting."
    : "1. Read the server log for the Auth.js error ([auth][error] lines). 2. Check AUTH_SECRET is set in this environment, that the database adapter can connect, and that each provider's id/secret are present. 3. Redeploy and re-run.",
);

export const netAdviseCors = advice("network", "net.advise_cors", ["net.cors_misconfigured"], "Restrict CORS to trusted origins", (issue) =>
  `${str(issue.subject)} answers Access-Control-Allow-Origin: ${str(issue.evidence.accessControlAllowOrigin)} with credentials. Allow a fixed list instead:\n\n` +
  `const ALLOWED = new Set(["https://app.example.com"]);\nexport function corsHeaders(origin: string | null): Record<string, string> {\n  if (!origin || !ALLOWED.has(origin)) return { Vary: "Origin" };\n  return { "Access-Control-Allow-Origin": origin, "Access-Control-Allow-Credentials": "true", Vary: "Origin" };\n}`,
);

export const netAdviseProtectAdminApi = advice("network", "net.advise_protect_admin_api", ["net.unprotected_admin_api", "net.data_exposure"], "Require an admin session on the endpoint", (issue) =>
  `${str(issue.subject)} serves anonymous requests. Check the session and role first thing in the handler:\n\n` +
  `import { auth } from "@/auth";\nexport async function GET() {\n  const session = await auth();\n  if (!session) return Response.json({ error: "unauthenticated" }, { status: 401 });\n  if (session.user.role !== "ADMIN") return Response.json({ error: "forbidden" }, { status: 403 });\n  // ...\n}\n\nThen deploy and re-run troubleshooting; until then consider blocking the path at the CDN/WAF.`,
);

export const netAdviseHttpsRedirect = advice("network", "net.advise_https_redirect", ["net.http_not_redirected"], "Redirect http to https", () =>
  "1. At the load balancer or CDN, redirect every plain http request to https with 301/308 (Vercel and most managed hosts do this by default; check a custom proxy in front). " +
  "2. Send Strict-Transport-Security: max-age=63072000; includeSubDomains so browsers stop trying http.",
);

export const netAdviseRemoveConfigExposure = advice("network", "net.advise_remove_config_exposure", ["net.config_exposure"], "Stop serving the configuration, then rotate what it showed", (issue) =>
  `${str(issue.subject)} shows configuration to anyone. 1. Remove the route (a debug or health handler that returns process.env, an error's stack, or a connection string) or the file (a .env or .git folder inside what the server serves: keep them out of public/ and out of a static catch-all); answer errors with a generic message and log the details server-side. ` +
  "2. Deploy, and check the path answers 404. 3. Treat every secret it showed as leaked: rotate the database password, AUTH_SECRET (signs every session: all users sign in again), API keys and tokens, and read the access logs for who fetched the path.",
);
