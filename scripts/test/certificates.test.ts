// Proves each generated certificate fails (or passes) real TLS verification the way its name says.
import https from "node:https";
import type { AddressInfo } from "node:net";
import tls from "node:tls";
import { afterEach, describe, expect, it } from "vitest";
import { makeCertificates, type Pem } from "./certificates";

const servers: https.Server[] = [];

afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => new Promise<void>((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  })));
});

async function serve(pem: Pem): Promise<number> {
  const server = https.createServer({ key: pem.key, cert: pem.cert }, (_req, res) => res.end("ok"));
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return (server.address() as AddressInfo).port;
}

// rejectUnauthorized: false so the handshake completes and the verdict can be read off the socket.
async function handshake(pem: Pem): Promise<tls.TLSSocket> {
  const { ca } = await makeCertificates();
  const port = await serve(pem);
  return new Promise((resolve, reject) => {
    const socket = tls.connect({ host: "127.0.0.1", port, servername: "localhost", ca: [ca.cert], rejectUnauthorized: false });
    socket.once("secureConnect", () => {
      socket.end();
      resolve(socket);
    });
    socket.once("error", reject);
  });
}

describe("makeCertificates", () => {
  it("is fast and cached", async () => {
    const started = Date.now();
    const first = await makeCertificates();
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(await makeCertificates()).toBe(first);
    expect(first.valid.key).toContain("-----BEGIN PRIVATE KEY-----");
  });

  it("valid: trusted through the CA for localhost", async () => {
    const socket = await handshake((await makeCertificates()).valid);
    expect(socket.authorizationError ?? null).toBeNull();
    expect(socket.authorized).toBe(true);
  });

  it("expiringSoon: trusted, expires within 3 days", async () => {
    const socket = await handshake((await makeCertificates()).expiringSoon);
    expect(socket.authorized).toBe(true);
    const left = new Date(socket.getPeerCertificate().valid_to).getTime() - Date.now();
    expect(left).toBeGreaterThan(0);
    expect(left).toBeLessThan(3 * 24 * 60 * 60 * 1000);
  });

  it("wrongHost: chain trusted but names only wrong.example", async () => {
    const socket = await handshake((await makeCertificates()).wrongHost);
    const error = tls.checkServerIdentity("localhost", socket.getPeerCertificate());
    expect(error).toMatchObject({ code: "ERR_TLS_CERT_ALTNAME_INVALID" });
    expect(socket.authorizationError).toBe("ERR_TLS_CERT_ALTNAME_INVALID");
  });

  it("expired: CERT_HAS_EXPIRED", async () => {
    const socket = await handshake((await makeCertificates()).expired);
    expect(socket.authorized).toBe(false);
    expect(socket.authorizationError).toBe("CERT_HAS_EXPIRED");
  });

  it("selfSigned: DEPTH_ZERO_SELF_SIGNED_CERT", async () => {
    const socket = await handshake((await makeCertificates()).selfSigned);
    expect(socket.authorized).toBe(false);
    expect(socket.authorizationError).toBe("DEPTH_ZERO_SELF_SIGNED_CERT");
  });
});
