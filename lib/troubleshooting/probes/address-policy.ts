// Probes fetch admin-supplied URLs, which makes them an SSRF risk: refuse link-local and
// cloud-metadata addresses. Loopback and private ranges stay allowed (self-hosted targets).
import { lookup } from "node:dns/promises";
import net from "node:net";

const BLOCKED_V4 = [
  ["169.254.0.0", 16], // link-local, includes 169.254.169.254 (AWS, GCP, Azure metadata)
  ["100.100.100.200", 32], // Alibaba Cloud metadata
  ["0.0.0.0", 8],
] as const;

function v4ToInt(ip: string): number {
  return ip.split(".").reduce((acc, part) => (acc << 8) + Number(part), 0) >>> 0;
}

export function isBlockedAddress(ip: string): boolean {
  if (net.isIPv4(ip)) {
    const value = v4ToInt(ip);
    return BLOCKED_V4.some(([base, bits]) => {
      const mask = (~0 << (32 - bits)) >>> 0;
      return (value & mask) === (v4ToInt(base) & mask);
    });
  }
  const embedded = embeddedIPv4(ip);
  if (embedded) return isBlockedAddress(embedded);
  const lower = ip.toLowerCase();
  return /^fe[89ab]/.test(lower) || lower === "fd00:ec2::254" || lower === "::";
}

/** The IPv4 address inside an IPv4-mapped (::ffff:a.b.c.d or ::ffff:a9fe:a9fe) or NAT64
 * (64:ff9b::/96) IPv6 address, which reach that IPv4 host. */
function embeddedIPv4(ip: string): string | null {
  const match = /^(?:::ffff:|64:ff9b::)(?:(\d+\.\d+\.\d+\.\d+)|([0-9a-f]{1,4}):([0-9a-f]{1,4}))$/i.exec(ip);
  if (!match) return null;
  if (match[1]) return match[1];
  const high = parseInt(match[2] ?? "0", 16);
  const low = parseInt(match[3] ?? "0", 16);
  return [high >> 8, high & 255, low >> 8, low & 255].join(".");
}

export class BlockedAddressError extends Error {
  constructor(host: string) {
    super(`refused to probe ${host}: link-local or cloud-metadata address`);
    this.name = "BlockedAddressError";
  }
}

/** Resolves the host and throws BlockedAddressError when any of its addresses is refused. */
export async function assertProbeAllowed(url: URL): Promise<void> {
  await resolveAllowed(url.hostname);
}

/** The addresses of `hostname` (a name, an IP, or a bracketed IPv6), when none is refused; throws
 * BlockedAddressError otherwise, or the resolver's error. Connect to one of these (not to the name
 * again) so that a second answer of the DNS cannot swap in a refused address. */
export async function resolveAllowed(hostname: string): Promise<{ address: string; family: number }[]> {
  const host = hostname.replace(/^\[|\]$/g, "");
  const addresses = net.isIP(host) ? [{ address: host, family: net.isIP(host) }] : await lookup(host, { all: true });
  if (addresses.some((a) => isBlockedAddress(a.address))) throw new BlockedAddressError(hostname);
  return addresses;
}

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string | { address: string; family: number }[], family?: number) => void;

/** A `lookup` for node:http(s)/net that refuses what the policy refuses, at connect time (the
 * name is resolved once, for the check and the connection). Node skips it for IP literals: check
 * those with resolveAllowed first. */
export function policyLookup(hostname: string, options: { all?: boolean }, callback: LookupCallback): void {
  resolveAllowed(hostname).then(
    (addresses) => (options.all ? callback(null, addresses) : callback(null, addresses[0]?.address ?? "", addresses[0]?.family)),
    (err: NodeJS.ErrnoException) => callback(err, ""),
  );
}
