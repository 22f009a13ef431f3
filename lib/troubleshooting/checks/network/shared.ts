import type { CheckContext, CheckOutcome } from "../../catalogue";
import { DEFAULT_SAMPLING, type EndpointSamples } from "../../site/endpoints";

/** Sampling is shared by the checks that read it; a check whose sampling thresholds are
 * overridden samples again with its own. */
export const SAMPLING_THRESHOLDS = { samples: DEFAULT_SAMPLING.samples, timeoutMs: DEFAULT_SAMPLING.timeoutMs, budgetMs: DEFAULT_SAMPLING.budgetMs };

export async function endpointSamples(ctx: CheckContext): Promise<{ endpoints: EndpointSamples[] } | { outcome: CheckOutcome }> {
  const t = { ...SAMPLING_THRESHOLDS, ...ctx.thresholds };
  const endpoints = await ctx.site.endpointSamples({ samples: t.samples, timeoutMs: t.timeoutMs, budgetMs: t.budgetMs });
  const blocked = endpoints.flatMap((e) => e.samples).find((s) => s.error?.startsWith("refused to probe"));
  if (blocked) return { outcome: { status: "error", reason: blocked.error as string } };
  return { endpoints };
}

export const answered = (e: EndpointSamples) => e.samples.filter((s) => s.status !== undefined);
