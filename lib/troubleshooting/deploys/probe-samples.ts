// The latency and answer of each endpoint sample and page request a run's bots made anyway, kept
// for the per-check history (CheckSample, written when the run ends: check-samples.ts). Nothing
// here sends a request: the probe handed to the bots is watched, and only what they asked for is
// kept (the web bot's pages, the network bot's endpoint samples). Stored as MetricSample rows of
// the run meanwhile, so that a run that ends in another process (after an approval) still has them.
import type { Prisma } from "../../generated/prisma/client";
import type { PrismaClient } from "../../db";
import type { Domain } from "../report";
import type { PageSnapshot } from "../site/crawl";
import type { EndpointSamples } from "../site/sampling";
import type { SiteProbe } from "../site/site-probe";

export const PROBE_METRICS = { page: "probe.page.ttfb_ms", endpoint: "probe.endpoint.ttfb_ms" } as const;

/** One measured request, as a MetricSample's labels (no headers, no body: a URL and a status). */
export interface ProbeLabels {
  url: string;
  /** passed: answered below 500 (an endpoint; a 401 to a protected one is the endpoint working)
   * or below 400 (a page); failed: a worse status, a timeout or no answer; skipped: the address
   * policy refused it. */
  outcome: "passed" | "failed" | "skipped";
  status: number | null;
  /** The time to first byte is the target's: false when the prober itself stalled meanwhile
   * (the time is partly ours), or nothing answered. */
  latencyValid: boolean;
}

/** `probe`, watched: what its pages() and endpointSamples() answered to the bot. */
export function watchedProbe(probe: SiteProbe): { probe: SiteProbe; pages(): Promise<PageSnapshot[]>; endpoints(): Promise<EndpointSamples[]> } {
  const pages: Promise<PageSnapshot[]>[] = [];
  const samples: Promise<EndpointSamples[]>[] = [];
  const kept = <T>(list: Promise<T>[], p: Promise<T>) => (list.includes(p) || list.push(p), p);
  return {
    probe: { ...probe, pages: () => kept(pages, probe.pages()), endpointSamples: (plan) => kept(samples, probe.endpointSamples(plan)) },
    pages: async () => (await Promise.allSettled(pages.slice(0, 1))).flatMap((r) => (r.status === "fulfilled" ? r.value : [])),
    // One entry per plan the checks sampled with (usually one: the shared sampling).
    endpoints: async () => (await Promise.allSettled(samples)).flatMap((r) => (r.status === "fulfilled" ? r.value : [])),
  };
}

export function pageSample(page: PageSnapshot): { value: number; labels: ProbeLabels } | null {
  if (page.leavesFor !== undefined) return null; // another origin's page is not the target's
  const status = page.status ?? null;
  const outcome = page.blocked ? "skipped" : status !== null && status < 400 && !page.redirectLoop ? "passed" : "failed";
  const latencyValid = page.ttfbMs !== undefined && status !== null;
  return { value: latencyValid ? Math.round(page.ttfbMs as number) : 0, labels: { url: page.finalUrl || page.url, outcome, status, latencyValid } };
}

export function endpointSampleRows(endpoint: EndpointSamples): { value: number; labels: ProbeLabels }[] {
  return endpoint.samples.map((s) => {
    const status = s.status ?? null;
    const refused = s.error?.startsWith("refused to probe") ?? false;
    const outcome = refused ? "skipped" : status !== null && status < 500 ? "passed" : "failed";
    return { value: Math.round(s.ms), labels: { url: endpoint.url, outcome, status, latencyValid: status !== null && !s.stallMs && !s.timedOut } };
  });
}

/** Stores the web bot's pages or the network bot's endpoint samples (whichever `domain` names) as
 * MetricSample rows of the run, replacing any an earlier attempt of the same bot stored. */
export async function storeProbeSamples(prisma: PrismaClient, runId: string, domain: Domain, watched: ReturnType<typeof watchedProbe>): Promise<number> {
  const name = domain === "web" ? PROBE_METRICS.page : domain === "network" ? PROBE_METRICS.endpoint : null;
  if (!name) return 0;
  const rows = name === PROBE_METRICS.page ? (await watched.pages()).flatMap((p) => pageSample(p) ?? []) : (await watched.endpoints()).flatMap(endpointSampleRows);
  await prisma.$transaction([
    prisma.metricSample.deleteMany({ where: { runId, name } }),
    prisma.metricSample.createMany({ data: rows.map((r) => ({ runId, name, domain, value: r.value, labels: r.labels as unknown as Prisma.InputJsonObject })) }),
  ]);
  return rows.length;
}
