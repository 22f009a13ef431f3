import type { Check } from "../../catalogue";
import { outcome } from "../outcome";
import { SAMPLING_THRESHOLDS, endpointSamples } from "./shared";

export const netTimeouts: Check = {
  code: "net.timeouts",
  domain: "network",
  title: "Requests time out",
  description: `A request to an endpoint must start answering within ${SAMPLING_THRESHOLDS.timeoutMs} ms (high when one does not).`,
  thresholds: SAMPLING_THRESHOLDS,
  async run(ctx) {
    const t = { ...SAMPLING_THRESHOLDS, ...ctx.thresholds };
    const sampled = await endpointSamples(ctx, { needsAnswers: false });
    if ("outcome" in sampled) return sampled.outcome;
    const issues = sampled.endpoints
      .filter((e) => e.samples.some((s) => s.timedOut))
      .map((endpoint) => ({
        severity: "high" as const,
        title: `${new URL(endpoint.url).pathname} did not answer within ${t.timeoutMs} ms`,
        description: `A request to ${endpoint.url} got no response headers within ${t.timeoutMs} ms; callers with shorter timeouts fail, and serverless functions hit their limit.`,
        subject: endpoint.url,
        evidence: { url: endpoint.url, timeoutMs: t.timeoutMs, samples: endpoint.samples },
        recommendation: "Find what the endpoint waits on (a lock, a slow query, an upstream without a timeout) and give every dependency call a timeout shorter than the endpoint's own.",
      }));
    return outcome(issues, { endpoints: sampled.endpoints.length });
  },
};
