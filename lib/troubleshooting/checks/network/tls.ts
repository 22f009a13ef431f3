// Certificate checks over the TLS inspection the site probe does once per https origin.
import type { Check, CheckOutcome, IssueDraft } from "../../catalogue";
import type { OriginTls, SiteProbe } from "../../site/site-probe";
import type { TlsReport } from "../../probes/tls";
import { outcome } from "../outcome";

const CHAIN_REASONS: Record<string, string> = {
  CERT_HAS_EXPIRED: "the certificate has expired",
  CERT_NOT_YET_VALID: "the certificate is not valid yet",
  DEPTH_ZERO_SELF_SIGNED_CERT: "the certificate is self-signed",
  SELF_SIGNED_CERT_IN_CHAIN: "the chain ends in a self-signed root that is not trusted",
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: "the chain is incomplete or from an untrusted CA",
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: "the chain is incomplete or from an untrusted CA",
};

type Inspected = TlsReport & OriginTls;

/** The inspected origins, or why there is nothing to judge. A third-party origin that cannot be
 * reached at all (a blocked beacon) is not the certificate checks' to judge. */
async function inspected(site: SiteProbe): Promise<{ reports: Inspected[] } | { outcome: CheckOutcome }> {
  const all = await site.tls();
  if (all.length === 0) return { outcome: { status: "skipped", reason: "not applicable: no https origins" } };
  const reports = all.filter((r): r is Inspected => "trusted" in r);
  const failed = all.find((r) => !("trusted" in r) && r.own);
  if (reports.length === 0 && !failed) return { outcome: { status: "skipped", reason: "not applicable: no https origin of the target, and no third-party https origin answered" } };
  if (reports.length === 0) return { outcome: { status: "error", reason: `no TLS handshake succeeded (${failed && "error" in failed ? failed.error : "unknown"})` } };
  return { reports };
}

export const netTlsInvalid: Check = {
  code: "net.tls_invalid",
  domain: "network",
  title: "Invalid TLS certificate",
  description: "Each https origin of the site, and each third-party origin its pages load scripts, styles or data from, must present a certificate that chains to a trusted root, is within its validity dates and covers the host name (critical for the site: browsers refuse it; high for a third party: what it provides is missing).",
  async run({ site }) {
    const tls = await inspected(site);
    if ("outcome" in tls) return tls.outcome;
    const issues: IssueDraft[] = tls.reports
      .filter((r) => !r.trusted || r.hostnameError)
      .map((r) => {
        const reason = r.hostnameError ? `it does not cover ${new URL(r.origin).hostname} (it is for ${r.altNames || r.subject})` : (CHAIN_REASONS[r.chainError ?? ""] ?? `it does not verify (${r.chainError})`);
        return {
          severity: r.own ? "critical" : "high",
          title: `${r.origin}: invalid certificate, ${reason}`,
          description: r.own
            ? `Browsers show a security warning and refuse to load the site: ${reason}.`
            : `${r.usedBy.length} checked page${r.usedBy.length === 1 ? " loads" : "s load"} scripts, styles or data from this third-party origin, and browsers refuse it: ${reason}. What it provides is missing from those pages.`,
          subject: r.origin,
          evidence: { origin: r.origin, thirdParty: !r.own, usedBy: r.usedBy, chainError: r.chainError ?? null, hostnameError: r.hostnameError ?? null, validFrom: r.validFrom, validTo: r.validTo, issuer: r.issuer, altNames: r.altNames },
          recommendation: !r.own
            ? `Tell the owner of ${r.origin} (the certificate is theirs to renew), or load the resource from another source or self-host it.`
            : r.hostnameError
            ? "Issue a certificate whose subjectAltName lists this host name (or point the name at the host that has it)."
            : "Renew or replace the certificate with one from a public CA (Let's Encrypt, or the host's managed certificates), and serve the full chain including intermediates.",
        };
      });
    return outcome(issues, { origins: tls.reports.map((r) => ({ origin: r.origin, validTo: r.validTo })) });
  },
};

const TLS_EXPIRY_THRESHOLDS = { mediumDays: 14, criticalDays: 3 };

export const netTlsExpiring: Check = {
  code: "net.tls_expiring",
  domain: "network",
  title: "TLS certificate expiring",
  description: `A certificate must not expire soon: medium under ${TLS_EXPIRY_THRESHOLDS.mediumDays} days, critical under ${TLS_EXPIRY_THRESHOLDS.criticalDays} days (already expired is net.tls_invalid's).`,
  thresholds: TLS_EXPIRY_THRESHOLDS,
  async run({ site, thresholds }) {
    const t = { ...TLS_EXPIRY_THRESHOLDS, ...thresholds };
    const tls = await inspected(site);
    if ("outcome" in tls) return tls.outcome;
    const issues: IssueDraft[] = tls.reports
      .filter((r) => r.daysLeft >= 0 && r.daysLeft < t.mediumDays)
      .map((r) => ({
        severity: r.daysLeft < t.criticalDays ? "critical" : "medium",
        title: `${r.origin}: certificate expires in ${r.daysLeft} days`,
        description: `The certificate expires on ${r.validTo}; after that browsers refuse the site.`,
        subject: r.origin,
        evidence: { origin: r.origin, validTo: r.validTo, daysLeft: r.daysLeft, issuer: r.issuer },
        recommendation: "Renew the certificate now and check why automatic renewal did not (ACME client logs, DNS/HTTP challenge reachability).",
      }));
    return outcome(issues, { origins: tls.reports.map((r) => ({ origin: r.origin, daysLeft: r.daysLeft })) });
  },
};
