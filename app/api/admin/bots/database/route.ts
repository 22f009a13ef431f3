import { withAdmin } from "@/lib/auth/guard";
import { env } from "@/lib/env";
import { probeDatabase } from "@/lib/health/database-probe";

export const dynamic = "force-dynamic";

/** Connectivity test of the target database: version, latency, connections, size (503 if unreachable). */
export const GET = withAdmin(async () => {
  const probe = await probeDatabase(env().targetDatabaseUrl);
  return Response.json(probe, { status: probe.connected ? 200 : 503, headers: { "Cache-Control": "no-store" } });
});
