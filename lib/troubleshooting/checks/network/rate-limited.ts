import type { Check } from "../../catalogue";
import { outcome } from "../outcome";
import { SAMPLING_THRESHOLDS, endpointSamples } from "./shared";

export const netRateLimited: Check = {
  code: "net.rate_limited",
  domain: "network",
  title: "Rate limited",
  description: "An endpoint that answers 429 Too Many Requests to a handful of requests is limiting legitimate use (medium); Retry-After is reported.",
  thresholds: SAMPLING_THRESHOLDS,
  async run(ctx) {
    const sampled = await endpointSamples(ctx);
    if ("outcome" in sampled) return sampled.outcome;
    const issues = sampled.endpoints.flatMap((endpoint) => {
      const limited = endpoint.samples.filter((s) => s.status === 429);
      if (limited.length === 0) return [];
      const retryAfter = limited.find((s) => s.retryAfter)?.retryAfter ?? null;
      return [
        {
          severity: "medium" as const,
          title: `${new URL(endpoint.url).pathname} is rate limited (429${retryAfter ? `, Retry-After ${retryAfter}` : ""})`,
          description: `${limited.length} of ${endpoint.samples.length} requests were refused with 429${retryAfter ? `; the server asks to wait ${retryAfter}` : " without a Retry-After header"}.`,
          subject: endpoint.url,
          evidence: { url: endpoint.url, limited: limited.length, samples: endpoint.samples.length, retryAfter },
          recommendation:
            "Check the limit against real traffic (a limit shared by all users behind one proxy address trips early); key it by user or token rather than IP, and always send Retry-After so clients back off correctly.",
        },
      ];
    });
    return outcome(issues, { endpoints: sampled.endpoints.length });
  },
};
