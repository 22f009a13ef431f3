import type { CheckContext, CheckOutcome } from "../../catalogue";
import { type HttpResult, describeHttpError } from "../../probes/http";
import { DEFAULT_SAMPLING, type EndpointSamples } from "../../site/sampling";
import type { SiteProbe } from "../../site/site-probe";

/** Sampling is shared by the checks that read it; a check whose sampling thresholds are
 * overridden samples again with its own. */
export const SAMPLING_THRESHOLDS = { samples: DEFAULT_SAMPLING.samples, timeoutMs: DEFAULT_SAMPLING.timeoutMs, budgetMs: DEFAULT_SAMPLING.budgetMs };

const NO_ANSWER = "see net.endpoint_down and net.timeouts";

/** The endpoints' samples, or why the check cannot judge them: a refused address is an error, and
 * a check that reads answers (all but net.timeouts) is skipped when no endpoint answered at all. */
export async function endpointSamples(ctx: CheckContext, { needsAnswers = true } = {}): Promise<{ endpoints: EndpointSamples[] } | { outcome: CheckOutcome }> {
  const t = { ...SAMPLING_THRESHOLDS, ...ctx.thresholds };
  const endpoints = await ctx.site.endpointSamples({ samples: t.samples, timeoutMs: t.timeoutMs, budgetMs: t.budgetMs });
  const samples = endpoints.flatMap((e) => e.samples);
  const blocked = samples.find((s) => s.error?.startsWith("refused to probe"));
  if (blocked) return { outcome: { status: "error", reason: blocked.error as string } };
  if (needsAnswers && !samples.some((s) => s.status !== undefined)) {
    return { outcome: { status: "skipped", reason: `no endpoint answered (${samples[0]?.error ?? "no samples"}); ${NO_ANSWER}` } };
  }
  return { endpoints };
}

export const answered = (e: EndpointSamples) => e.samples.filter((s) => s.status !== undefined);

export interface Answer {
  url: string;
  res: HttpResult | null;
}

/** One anonymous request to each URL (redirects not followed, body not read, bounded like a
 * sample), or why the check cannot judge: refused, or no URL answered at all. */
export async function askEach(site: SiteProbe, urls: string[], headers: Record<string, string> = {}): Promise<{ answers: Answer[] } | { outcome: CheckOutcome }> {
  const errors: string[] = [];
  const answers = await Promise.all(
    urls.map(async (url): Promise<Answer> => {
      try {
        return { url, res: await site.fetcher.get(url, { anonymous: true, followRedirects: false, readBody: false, timeoutMs: DEFAULT_SAMPLING.timeoutMs, headers }) };
      } catch (err) {
        errors.push(describeHttpError(err));
        return { url, res: null };
      }
    }),
  );
  const blocked = errors.find((e) => e.startsWith("refused to probe"));
  if (blocked) return { outcome: { status: "error", reason: blocked } };
  if (answers.every((a) => a.res === null)) return { outcome: { status: "skipped", reason: `no endpoint answered (${errors[0] ?? "none asked"}); ${NO_ANSWER}` } };
  return { answers };
}
