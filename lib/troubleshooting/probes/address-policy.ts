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
  const lower = ip.toLowerCase();
  if (lower.startsWith("::ffff:")) return isBlockedAddress(lower.slice(7));
  return /^fe[89ab]/.test(lower) || lower === "fd00:ec2::254" || lower === "::";
}

export class BlockedAddressError extends Error {
  constructor(host: string) {
    super(`refused to probe ${host}: link-local or cloud-metadata address`);
    this.name = "BlockedAddressError";
  }
}

/** Resolves the host and throws BlockedAddressError when any of its addresses is refused. */
export async function assertProbeAllowed(url: URL): Promise<void> {
  const host = url.hostname.replace(/^\[|\]$/g, "");
  const addresses = net.isIP(host) ? [host] : (await lookup(host, { all: true })).map((a) => a.address);
  if (addresses.some(isBlockedAddress)) throw new BlockedAddressError(url.hostname);
}
