import type { Check } from "../../catalogue";
import { withDatabase } from "../../probes/database";
import { dbCheckError } from "./shared";

export const LATENCY_THRESHOLDS = { highMs: 100, samples: 5 };

export const dbConnectionLatency: Check = {
  code: "db.connection_latency",
  domain: "database",
  title: "Slow database round trips",
  description: `Median round trip of ${LATENCY_THRESHOLDS.samples} trivial queries on one connection: high over ${LATENCY_THRESHOLDS.highMs} ms.`,
  thresholds: LATENCY_THRESHOLDS,
  async run({ target, signal, thresholds }) {
    const t = { ...LATENCY_THRESHOLDS, ...thresholds };
    try {
      const samples = await withDatabase(target.databaseUrl, signal, "read-only", async (client) => {
        const times: number[] = [];
        for (let i = 0; i < Math.max(1, t.samples); i++) {
          const started = performance.now();
          await client.query("SELECT 1");
          times.push(performance.now() - started);
        }
        return times.sort((a, b) => a - b);
      });
      const median = Math.round((samples[Math.floor(samples.length / 2)] ?? 0) * 10) / 10;
      const evidence = { medianMs: median, samplesMs: samples.map((s) => Math.round(s * 10) / 10) };
      if (median <= t.highMs) return { status: "passed", evidence };
      return {
        status: "issues",
        issues: [
          {
            severity: "high",
            title: `Database round trip takes ${median} ms`,
            description: `Each query pays ${median} ms before any work; a page that makes 20 queries waits ${Math.round(median * 20)} ms for the network alone.`,
            subject: "latency",
            evidence,
            recommendation: "Run the app in the same region as the database, use a pooler close to the app, and batch queries (Prisma include/select instead of loops).",
          },
        ],
      };
    } catch (err) {
      return dbCheckError(err);
    }
  },
};
