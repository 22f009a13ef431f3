import { withAdminOrBearer } from "@/lib/auth/guard";
import { db } from "@/lib/db";
import { env } from "@/lib/env";
import { metricsText } from "@/lib/monitoring/metrics";

export const dynamic = "force-dynamic";

/** Prometheus text format; for an admin session or `Authorization: Bearer $METRICS_TOKEN`. */
export const GET = withAdminOrBearer(
  () => env().METRICS_TOKEN,
  async () => {
    const { text, contentType } = await metricsText(db());
    return new Response(text, { headers: { "content-type": contentType, "cache-control": "no-store" } });
  },
);
