import { type IncomingHttpHeaders, createServer, request } from "node:http";
import type { AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import { parseEnv } from "../env";
import { PEER_HEADER, type TrustedProxy, UNKNOWN_ADDRESS, parseTrustedProxy, peerAddress, resolveClientAddress, stampPeerAddresses } from "./client-address";

const trust = (value: string): TrustedProxy => {
  const parsed = parseTrustedProxy(value);
  if ("error" in parsed) throw new Error(parsed.error);
  return parsed;
};
const of = (peer: string | null, headers: Record<string, string>, value: string) => resolveClientAddress(peer, new Headers(headers), trust(value));

describe("resolveClientAddress", () => {
  it("none: the socket's peer, whatever X-Forwarded-For or X-Real-IP claim", () => {
    expect(of("198.51.100.9", { "x-forwarded-for": "203.0.113.1", "x-real-ip": "203.0.113.2" }, "none")).toBe("198.51.100.9");
    expect(of(null, { "x-forwarded-for": "203.0.113.1" }, "none")).toBe(UNKNOWN_ADDRESS);
  });

  it("vercel: Vercel's own header first, then x-real-ip, then x-forwarded-for; only IP addresses", () => {
    expect(of("10.0.0.1", { "x-vercel-forwarded-for": "198.51.100.9", "x-forwarded-for": "203.0.113.1" }, "vercel")).toBe("198.51.100.9");
    expect(of(null, { "x-real-ip": "::ffff:192.0.2.1" }, "vercel")).toBe("192.0.2.1");
    expect(of(null, { "x-forwarded-for": "2001:db8::1, 10.0.0.1" }, "vercel")).toBe("2001:db8::1");
    expect(of(null, { "x-vercel-forwarded-for": "<script>".repeat(50) }, "vercel")).toBe(UNKNOWN_ADDRESS);
  });

  it("CIDRs: the rightmost hop that is not one of our proxies; a peer that is no proxy is the client", () => {
    const proxies = "10.0.0.0/8, 2001:db8::/32";
    // The client forged the leftmost entry; our proxies appended the real one and themselves.
    expect(of("10.0.0.2", { "x-forwarded-for": "203.0.113.66, 198.51.100.9, 10.1.2.3" }, proxies)).toBe("198.51.100.9");
    expect(of("2001:db8::5", { "x-forwarded-for": "198.51.100.9" }, proxies)).toBe("198.51.100.9");
    // Reached directly, past the proxy: its headers are its own invention.
    expect(of("198.51.100.77", { "x-forwarded-for": "203.0.113.66" }, proxies)).toBe("198.51.100.77");
    // Junk left of our proxies, and a request from the proxy itself.
    expect(of("10.0.0.2", { "x-forwarded-for": "nonsense, 10.0.0.3" }, proxies)).toBe(UNKNOWN_ADDRESS);
    expect(of("10.0.0.2", {}, proxies)).toBe("10.0.0.2");
    // No stamped peer (serverless): the header the proxy appended to is believed.
    expect(of(null, { "x-forwarded-for": "203.0.113.66, 198.51.100.9" }, "192.0.2.0/24")).toBe("198.51.100.9");
  });
});

describe("TRUSTED_PROXY", () => {
  const base = { DATABASE_URL: "postgresql://a@b/c", AUTH_SECRET: "x".repeat(32) };
  it("defaults to none, and to vercel on Vercel", () => {
    expect(parseEnv(base).trustedProxy.kind).toBe("none");
    expect(parseEnv({ ...base, VERCEL: "1" }).trustedProxy.kind).toBe("vercel");
    expect(parseEnv({ ...base, VERCEL: "1", TRUSTED_PROXY: "none" }).trustedProxy.kind).toBe("none");
    expect(parseEnv({ ...base, TRUSTED_PROXY: "10.0.0.0/8,192.0.2.7" }).trustedProxy.kind).toBe("cidrs");
  });

  it("refuses anything else, naming the variable", () => {
    for (const value of ["everyone", "10.0.0.0/33", "10.0.0.0/x", "10.0.0", ","]) {
      expect(() => parseEnv({ ...base, TRUSTED_PROXY: value }), value).toThrow(/TRUSTED_PROXY: must be none, vercel, or comma-separated/);
    }
  });
});

describe("stampPeerAddresses", () => {
  /** Starts a real HTTP server, sends it one request with forged headers, returns what it saw. */
  async function serveOne(options: { isApp: boolean }): Promise<Headers> {
    const seen: IncomingHttpHeaders[] = [];
    const server = createServer((req, res) => {
      seen.push(req.headers);
      res.end();
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    const previousPort = process.env.PORT;
    if (options.isApp) process.env.PORT = String(port); // as Next does once it listens
    try {
      await new Promise<void>((resolve, reject) => {
        const forged = { "x-forwarded-for": "203.0.113.9", [PEER_HEADER]: "guess 203.0.113.5" };
        request({ host: "127.0.0.1", port, headers: forged }, (res) => res.resume().on("end", resolve)).on("error", reject).end();
      });
    } finally {
      if (previousPort === undefined) delete process.env.PORT;
      else process.env.PORT = previousPort;
      await new Promise((resolve) => server.close(resolve));
    }
    return new Headers(Object.entries(seen[0] ?? {}).map(([k, v]): [string, string] => [k, String(v)]));
  }

  it("gives the app server's requests their socket's address, which a client cannot forge", async () => {
    expect(peerAddress(new Headers({ [PEER_HEADER]: "guess 203.0.113.5" }))).toBeNull();
    stampPeerAddresses();
    const headers = await serveOne({ isApp: true });
    expect(peerAddress(headers)).toBe("127.0.0.1");
    expect(resolveClientAddress(peerAddress(headers), headers, trust("none"))).toBe("127.0.0.1");
  });

  it("leaves the process's other servers alone (a proxy there would pass the stamp on)", async () => {
    stampPeerAddresses();
    const headers = await serveOne({ isApp: false });
    expect(headers.get(PEER_HEADER)).toBe("guess 203.0.113.5");
    expect(peerAddress(headers)).toBeNull();
  });
});
