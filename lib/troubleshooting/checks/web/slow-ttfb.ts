import type { Check } from "../../catalogue";
import { httpGet } from "../../probes/http";
import { skippedUnreachable } from "./shared";

/** Google's TTFB guidance: good up to 800 ms, poor above 1800 ms. Median of several samples. */
export const TTFB_THRESHOLDS = { mediumMs: 800, highMs: 1_800, samples: 3 };

export const webSlowTtfb: Check = {
  code: "web.slow_ttfb",
  domain: "web",
  title: "Slow time to first byte",
  description: `Median TTFB of ${TTFB_THRESHOLDS.samples} requests to the base URL: medium over ${TTFB_THRESHOLDS.mediumMs} ms, high over ${TTFB_THRESHOLDS.highMs} ms.`,
  thresholds: TTFB_THRESHOLDS,
  async run({ target, signal, thresholds }) {
    const t = { ...TTFB_THRESHOLDS, ...thresholds };
    const samples: number[] = [];
    for (let i = 0; i < Math.max(1, t.samples); i++) {
      try {
        samples.push((await httpGet(target.baseUrl, signal, { readBody: false })).ttfbMs);
      } catch (err) {
        if (samples.length === 0) return skippedUnreachable(err);
        break;
      }
    }
    samples.sort((a, b) => a - b);
    const median = Math.round(samples[Math.floor(samples.length / 2)] ?? 0);
    const evidence = { url: target.baseUrl, medianMs: median, samplesMs: samples.map(Math.round) };
    if (median <= t.mediumMs) return { status: "passed", evidence };
    return {
      status: "issues",
      issues: [
        {
          severity: median > t.highMs ? "high" : "medium",
          title: `Time to first byte is ${median} ms`,
          description: `The server takes ${median} ms (median of ${samples.length}) before it starts answering; pages feel slow before anything renders.`,
          subject: target.baseUrl,
          evidence,
          recommendation: "Look for slow database queries or upstream calls made while rendering; cache what can be cached.",
        },
      ],
    };
  },
};
