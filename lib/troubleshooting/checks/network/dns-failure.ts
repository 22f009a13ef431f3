import { lookup } from "node:dns/promises";
import net from "node:net";
import type { Check } from "../../catalogue";
import { outcome } from "../outcome";

export const netDnsFailure: Check = {
  code: "net.dns_failure",
  domain: "network",
  title: "DNS does not resolve",
  description: "Every host name of the target and its endpoints must resolve (critical for the site's own host, high for others).",
  async run({ target }) {
    const siteHost = new URL(target.baseUrl).hostname;
    const hosts = [...new Set([target.baseUrl, ...target.endpoints].map((u) => new URL(u).hostname.replace(/^\[|\]$/g, "")))].filter((h) => !net.isIP(h));
    if (hosts.length === 0) return { status: "skipped", reason: "not applicable: the target is addressed by IP, there is no name to resolve" };
    const results = await Promise.all(
      hosts.map(async (host) => {
        const started = performance.now();
        try {
          const addresses = (await lookup(host, { all: true })).map((a) => a.address);
          return { host, addresses, ms: Math.round(performance.now() - started) };
        } catch (err) {
          return { host, error: (err as { code?: string }).code ?? "lookup failed", ms: Math.round(performance.now() - started) };
        }
      }),
    );
    const issues = results
      .filter((r) => r.error)
      .map((r) => ({
        severity: r.host === siteHost ? ("critical" as const) : ("high" as const),
        title: `${r.host} does not resolve (${r.error})`,
        description: `The name ${r.host} has no address for this resolver (${r.error}); nothing can reach it by name.`,
        subject: r.host,
        evidence: { host: r.host, error: r.error, ms: r.ms },
        recommendation: `Check the DNS records of ${r.host} at its DNS provider (an A/AAAA or CNAME record must exist), that the domain has not expired, and that the servers' resolver can reach the authoritative servers.`,
      }));
    return outcome(issues, { hosts: results });
  },
};
