// X.509 certificates made at test time for the loopback HTTPS target: one test CA and leaves with
// the faults a TLS check must tell apart (expiring, wrong host, expired, not from a trusted CA).
import { generate } from "selfsigned";

export interface Pem { cert: string; key: string }
export interface TestCertificates { ca: Pem; valid: Pem; expiringSoon: Pem; wrongHost: Pem; expired: Pem; selfSigned: Pem }

const DAY = 24 * 60 * 60 * 1000;
// selfsigned's subjectAltName entries: type 2 is a DNS name, type 7 an IP address.
type AltName = { type: 2; value: string } | { type: 7; ip: string };
const LOOPBACK_NAMES: AltName[] = [{ type: 2, value: "localhost" }, { type: 7, ip: "127.0.0.1" }];

// EC P-256 keys are near-instant to make (all six certificates take ~0.1 s). selfsigned signs with
// the CA key assuming the leaf's key type, so every certificate must use EC.
async function make(cn: string, from: number, to: number, opts: { ca?: Pem; isCa?: boolean; altNames?: AltName[] } = {}): Promise<Pem> {
  const result = await generate([{ name: "commonName", value: cn }], {
    keyType: "ec",
    curve: "P-256",
    algorithm: "sha256",
    notBeforeDate: new Date(from),
    notAfterDate: new Date(to),
    ca: opts.ca,
    extensions: opts.isCa
      ? [
          { name: "basicConstraints", cA: true, critical: true },
          { name: "keyUsage", keyCertSign: true, cRLSign: true, critical: true },
        ]
      : [
          { name: "basicConstraints", cA: false, critical: true },
          { name: "keyUsage", digitalSignature: true, critical: true },
          { name: "extKeyUsage", serverAuth: true },
          { name: "subjectAltName", altNames: opts.altNames ?? LOOPBACK_NAMES },
        ],
  });
  // selfsigned returns the key as PKCS#8 PEM ("BEGIN PRIVATE KEY"), which node:tls accepts.
  return { cert: result.cert, key: result.private };
}

async function makeAll(): Promise<TestCertificates> {
  const now = Date.now();
  const yesterday = now - DAY;
  const ca = await make("Troubleshooter Test CA", yesterday, yesterday + 365 * DAY, { isCa: true });
  const [valid, expiringSoon, wrongHost, expired, selfSigned] = await Promise.all([
    make("localhost", yesterday, yesterday + 90 * DAY, { ca }),
    make("localhost", yesterday, now + 2 * DAY, { ca }),
    make("wrong.example", yesterday, yesterday + 90 * DAY, { ca, altNames: [{ type: 2, value: "wrong.example" }] }),
    make("localhost", now - 40 * DAY, now - 10 * DAY, { ca }),
    make("localhost", yesterday, yesterday + 90 * DAY),
  ]);
  return { ca, valid, expiringSoon, wrongHost, expired, selfSigned };
}

// One set per process: the dates are relative to the first call, which is fine for a test run.
let cached: Promise<TestCertificates> | undefined;

export async function makeCertificates(): Promise<TestCertificates> {
  cached ??= makeAll().catch((error: unknown) => {
    cached = undefined; // let a later call retry rather than replaying the failure
    throw error;
  });
  return cached;
}
