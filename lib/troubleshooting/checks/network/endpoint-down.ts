import { lookup } from "node:dns/promises";
import net from "node:net";
import type { Check, IssueDraft } from "../../catalogue";
import { BlockedAddressError, assertProbeAllowed } from "../../probes/address-policy";
import { describeHttpError, httpGet } from "../../probes/http";

interface Stage {
  stage: "dns" | "tcp" | "http";
  ms?: number;
  error?: string;
}

export const netEndpointDown: Check = {
  code: "net.endpoint_down",
  domain: "network",
  title: "Endpoint down",
  description: "Each configured endpoint (default: the base URL) must resolve in DNS, accept a TCP connection, and answer HTTP below 500.",
  async run({ target, signal }) {
    const endpoints = target.endpoints.length > 0 ? target.endpoints : [target.baseUrl];
    try {
      for (const url of endpoints) await assertProbeAllowed(new URL(url));
    } catch (err) {
      if (err instanceof BlockedAddressError) return { status: "error", reason: err.message };
    }
    const results = await Promise.all(endpoints.map((url) => probe(url, signal)));
    const issues = results.filter((r): r is IssueDraft => r !== null);
    return issues.length === 0 ? { status: "passed", evidence: { endpoints } } : { status: "issues", issues };
  },
};

async function probe(url: string, signal: AbortSignal): Promise<IssueDraft | null> {
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
            : "The host accepts connections but the service answers with errors or not at all; read its logs.",
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
    const res = await httpGet(url, signal, { readBody: false });
    if (res.status >= 500) return fail("http", `status ${res.status}`);
  } catch (err) {
    return fail("http", describeHttpError(err));
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
