import type { Check } from "../../catalogue";
import { median, roundTrips } from "../../probes/database-facts";
import { readOnly } from "./shared";

export const LATENCY_THRESHOLDS = { highMs: 100, samples: 5 };

export const dbConnectionLatency: Check = {
  code: "db.connection_latency",
  domain: "database",
  title: "Slow database round trips",
  description: `Median round trip of ${LATENCY_THRESHOLDS.samples} trivial queries on one connection: high over ${LATENCY_THRESHOLDS.highMs} ms.`,
  thresholds: LATENCY_THRESHOLDS,
  async run({ target, signal, thresholds }) {
    const t = { ...LATENCY_THRESHOLDS, ...thresholds };
    return readOnly(target, signal, async (client) => {
      const samples = await roundTrips(client, t.samples);
      const middle = median(samples);
      const evidence = { medianMs: middle, samplesMs: samples };
      if (middle <= t.highMs) return { status: "passed", evidence };
      return {
        status: "issues",
        issues: [
          {
            severity: "high",
            title: `Database round trip takes ${middle} ms`,
            description: `Each query pays ${middle} ms before any work; a page that makes 20 queries waits ${Math.round(middle * 20)} ms for the network alone.`,
            subject: "latency",
            evidence,
            recommendation: "Run the app in the same region as the database, use a pooler close to the app, and batch queries (Prisma include/select instead of loops).",
          },
        ],
      };
    });
  },
};
