// The client's address, for the sign-in limiter and the audit log. Forwarding headers are trusted
// only as far as TRUSTED_PROXY says (lib/env.ts):
//   none     the app is reached directly: the socket's peer address, whatever the headers claim
//   vercel   Vercel's edge overwrites x-forwarded-for and sets x-vercel-forwarded-for/x-real-ip
//            (vercel.com/docs/headers/request-headers), so its own header is the client
//   CIDRs    a proxy of ours (e.g. nginx at 10.0.0.2) appends the address it saw to
//            x-forwarded-for: walking the header from the right, the first address that is not
//            one of our proxies is the client; a request whose peer is no proxy of ours is its
//            own client.
//
// Next.js does not give route handlers the socket: `next start` copies the peer address into
// x-forwarded-for only when the request has none (base-server.js: `??=`), so a client that sends
// its own header replaces it. The peer is therefore stamped onto every request as it arrives, from
// Node's documented `http.server.request.start` diagnostics channel, under a header a client
// cannot forge (its value carries a per-process nonce that never leaves the server).
import { randomBytes } from "node:crypto";
import { subscribe } from "node:diagnostics_channel";
import type { IncomingMessage, Server } from "node:http";
import { BlockList, isIP } from "node:net";

/** What forwarding headers to believe. `cidrs`: the proxies' own addresses (IPv4/IPv6, single or /n). */
export type TrustedProxy = { kind: "none" } | { kind: "vercel" } | { kind: "cidrs"; proxies: BlockList; source: string };

/** Stands for a client whose address could not be established: all such clients share one limit. */
export const UNKNOWN_ADDRESS = "unknown";

/** The header the stamp travels in, from Node's server to the route handler. */
export const PEER_HEADER = "x-troubleshooter-peer";

const TRUSTED_PROXY_FORMAT = "must be none, vercel, or comma-separated IP addresses/CIDR ranges of the proxies";

/**
 * Parses TRUSTED_PROXY: "none", "vercel", or a comma-separated list of addresses and CIDR ranges
 * ("10.0.0.0/8, 2001:db8::/32, 192.0.2.7"). Returns an error message for anything else.
 */
export function parseTrustedProxy(value: string): TrustedProxy | { error: string } {
  const trimmed = value.trim().toLowerCase();
  if (trimmed === "none") return { kind: "none" };
  if (trimmed === "vercel") return { kind: "vercel" };
  const proxies = new BlockList();
  const entries = trimmed.split(",").map((e) => e.trim()).filter(Boolean);
  for (const entry of entries) {
    const [address = "", prefix] = entry.split("/");
    const family = isIP(address);
    const bits = prefix === undefined ? (family === 6 ? 128 : 32) : Number(prefix);
    if (family === 0 || !/^\d{0,3}$/.test(prefix ?? "") || !Number.isInteger(bits) || bits < 0 || bits > (family === 6 ? 128 : 32)) {
      return { error: TRUSTED_PROXY_FORMAT };
    }
    proxies.addSubnet(address, bits, family === 6 ? "ipv6" : "ipv4");
  }
  if (entries.length === 0) return { error: TRUSTED_PROXY_FORMAT };
  return { kind: "cidrs", proxies, source: entries.join(",") };
}

/** An IP address in canonical text (IPv4-mapped IPv6 as IPv4), or null for anything else. */
function normalizeAddress(value: string | null | undefined): string | null {
  const address = (value ?? "").trim().replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/i, "");
  return isIP(address) ? address : null;
}

function isProxy(proxies: BlockList, address: string): boolean {
  return proxies.check(address, isIP(address) === 6 ? "ipv6" : "ipv4");
}

/**
 * The client's address from the request's peer (null when unknown) and its headers, as `trust`
 * allows. Pure: the same inputs give the same answer. Never returns attacker-chosen junk: a value
 * that is not an IP address is UNKNOWN_ADDRESS.
 */
export function resolveClientAddress(peer: string | null, headers: Headers, trust: TrustedProxy): string {
  if (trust.kind === "none") return peer ?? UNKNOWN_ADDRESS;
  if (trust.kind === "vercel") {
    const first = (name: string) => headers.get(name)?.split(",")[0];
    return normalizeAddress(first("x-vercel-forwarded-for") ?? first("x-real-ip") ?? first("x-forwarded-for")) ?? UNKNOWN_ADDRESS;
  }
  // A request that did not come through one of our proxies says nothing trustworthy in its headers.
  if (peer !== null && !isProxy(trust.proxies, peer)) return peer;
  const hops = (headers.get("x-forwarded-for") ?? "").split(",").map((h) => h.trim()).filter(Boolean);
  for (let i = hops.length - 1; i >= 0; i--) {
    const hop = normalizeAddress(hops[i]);
    if (hop === null) return UNKNOWN_ADDRESS; // junk appended by whoever is left of our proxies
    if (!isProxy(trust.proxies, hop)) return hop;
  }
  // Every hop is one of ours (a health check from the proxy itself): the nearest one.
  return normalizeAddress(hops[0]) ?? peer ?? UNKNOWN_ADDRESS;
}

const globalForPeer = globalThis as unknown as { troubleshooterPeerNonce?: string };

/**
 * Stamps every request the app's HTTP server (the one listening on PORT) receives with its
 * socket's peer address, from then on (idempotent). Requests already received are not stamped: peerAddress() answers null for
 * them. Called once, from instrumentation.ts, before the first request.
 */
export function stampPeerAddresses(): void {
  if (globalForPeer.troubleshooterPeerNonce) return;
  const nonce = randomBytes(16).toString("base64url");
  globalForPeer.troubleshooterPeerNonce = nonce;
  subscribe("http.server.request.start", (message) => {
    const { request, server } = message as { request: IncomingMessage; server: Server };
    // Only the app's own server (Next sets PORT to the port it listens on): other servers of this
    // process (the browser checks' loopback proxy) pass their headers on to third parties.
    const listening = server.address();
    if (typeof listening !== "object" || listening === null || String(listening.port) !== process.env.PORT) return;
    // Overwrites whatever the client sent under this name.
    request.headers[PEER_HEADER] = `${nonce} ${request.socket.remoteAddress ?? ""}`;
  });
}

/** The socket's peer address stamped by stampPeerAddresses(), or null (not stamped, or forged). */
export function peerAddress(headers: Headers): string | null {
  const nonce = globalForPeer.troubleshooterPeerNonce;
  const [claimed, address] = (headers.get(PEER_HEADER) ?? "").split(" ");
  return nonce && claimed === nonce ? normalizeAddress(address) : null;
}
