import { withAdmin } from "@/lib/auth/guard";
import { db } from "@/lib/db";
import { checkAppHealth } from "@/lib/health/app-health";

export const dynamic = "force-dynamic";

/** Health of this add-on: ok / degraded / down (503), version, uptime, database reachability. */
export const GET = withAdmin(async () => {
  const health = await checkAppHealth(db());
  return Response.json(health, { status: health.status === "down" ? 503 : 200, headers: { "Cache-Control": "no-store" } });
});
