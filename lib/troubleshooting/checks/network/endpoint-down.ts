import { lookup } from "node:dns/promises";
import net from "node:net";
import type { Check, IssueDraft } from "../../catalogue";
import { describeHttpError, isTimeout } from "../../probes/http";
import { DEFAULT_SAMPLING } from "../../site/sampling";
import type { Fetcher } from "../../site/fetcher";
import { outcome } from "../outcome";

interface Stage {
  stage: "dns" | "tcp" | "http";
  ms?: number;
  error?: string;
}

export const netEndpointDown: Check = {
  code: "net.endpoint_down",
  domain: "network",
  title: "Endpoint down",
  description: "Each endpoint (default: the base URL) must resolve in DNS, accept a TCP connection and answer HTTP at all (any status; errors are net.endpoint_errors'). The failing stage is named.",
  async run({ site, signal }) {
    const endpoints = (await site.endpoints()).map((e) => e.url);
    const results = await Promise.all(endpoints.map((url) => probe(url, site.fetcher, signal)));
    const blocked = results.find((r): r is { blocked: string } => r !== null && "blocked" in r);
    if (blocked) return { status: "error", reason: blocked.blocked };
    return outcome(results.filter((r): r is IssueDraft => r !== null && !("blocked" in r)), { endpoints });
  },
};

async function probe(url: string, fetcher: Fetcher, signal: AbortSignal): Promise<IssueDraft | { blocked: string } | null> {
  const parsed = new URL(url);
  const host = parsed.hostname.replace(/^\[|\]$/g, "");
  const port = Number(parsed.port || (parsed.protocol === "https:" ? 443 : 80));
  const stages: Stage[] = [];
  const fail = (stage: Stage["stage"], error: string): IssueDraft => {
    stages.push({ stage, error });
    return {
      severity: "high",
      title: `${parsed.host} is down (${stage === "dns" ? "DNS" : stage === "tcp" ? "TCP connect" : "HTTP"} failed)`,
      description: `The endpoint ${url} failed at the ${stage} stage: ${error}.`,
      subject: url,
      evidence: { url, host: parsed.host, failedStage: stage, stages },
      recommendation:
        stage === "dns"
          ? "Check the DNS records of the host and the resolver the servers use."
          : stage === "tcp"
            ? "Check that the service listens on this port and that firewalls and security groups allow it."
            : "The host accepts connections but the service does not answer HTTP; read its logs.",
    };
  };

  let started = performance.now();
  let address = host;
  if (!net.isIP(host)) {
    try {
      address = (await lookup(host)).address;
      stages.push({ stage: "dns", ms: Math.round(performance.now() - started) });
    } catch (err) {
      return fail("dns", (err as { code?: string }).code ?? "lookup failed");
    }
  }
  started = performance.now();
  try {
    await connect(address, port, signal);
    stages.push({ stage: "tcp", ms: Math.round(performance.now() - started) });
  } catch (err) {
    return fail("tcp", (err as { code?: string }).code ?? "connect failed");
  }
  try {
    await fetcher.get(url, { readBody: false, followRedirects: false, timeoutMs: DEFAULT_SAMPLING.timeoutMs });
  } catch (err) {
    const error = describeHttpError(err);
    if (error.startsWith("refused to probe")) return { blocked: error };
    // A certificate problem is net.tls_invalid's, a slow answer net.timeouts': the endpoint is up.
    if (error.startsWith("TLS error") || isTimeout(err)) return null;
    return fail("http", error);
  }
  return null;
}

function connect(host: string, port: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host, port, signal });
    socket.once("connect", () => {
      socket.destroy();
      resolve();
    });
    socket.once("error", reject);
  });
}
