// TLS inspection: the certificate an https endpoint presents, judged against the system's trusted
// roots (plus any configured CA) and the host name, without refusing the connection.
import net from "node:net";
import tls from "node:tls";
import { assertProbeAllowed } from "./address-policy";

export interface TlsReport {
  origin: string;
  /** The chain verifies against the trusted roots. */
  trusted: boolean;
  /** OpenSSL's reason when it does not (CERT_HAS_EXPIRED, DEPTH_ZERO_SELF_SIGNED_CERT, ...). */
  chainError?: string;
  /** Why the certificate does not cover the host name, when it does not. */
  hostnameError?: string;
  validFrom: string;
  validTo: string;
  daysLeft: number;
  subject: string;
  issuer: string;
  altNames: string;
  error?: string;
}

export async function inspectTls(origin: string, signal: AbortSignal, ca: string | null = null): Promise<TlsReport> {
  const url = new URL(origin);
  await assertProbeAllowed(url);
  const host = url.hostname.replace(/^\[|\]$/g, "");
  const port = Number(url.port || 443);
  return new Promise((resolve, reject) => {
    const socket = tls.connect({
      host,
      port,
      servername: net.isIP(host) ? undefined : host,
      rejectUnauthorized: false,
      ca: ca ? [...tls.rootCertificates, ca] : undefined,
    });
    const abort = () => socket.destroy(signal.reason instanceof Error ? signal.reason : new Error("aborted"));
    signal.addEventListener("abort", abort, { once: true });
    socket.once("close", () => signal.removeEventListener("abort", abort));
    socket.once("secureConnect", () => {
      const cert = socket.getPeerCertificate();
      const hostnameError = tls.checkServerIdentity(host, cert);
      const validTo = new Date(cert.valid_to);
      resolve({
        origin: url.origin,
        trusted: socket.authorized,
        chainError: socket.authorizationError ? String(socket.authorizationError) : undefined,
        hostnameError: hostnameError?.message,
        validFrom: new Date(cert.valid_from).toISOString(),
        validTo: validTo.toISOString(),
        daysLeft: Math.floor(((validTo.getTime() - Date.now()) / 86_400_000) * 10) / 10,
        subject: String(cert.subject?.CN ?? ""),
        issuer: String(cert.issuer?.CN ?? cert.issuer?.O ?? ""),
        altNames: cert.subjectaltname ?? "",
      });
      socket.destroy();
    });
    socket.once("error", reject);
  });
}
