import { readQuery } from "@/lib/api/request";
import { withAdmin } from "@/lib/auth/guard";
import { db } from "@/lib/db";
import { logQuerySchema, queryLogs } from "@/lib/monitoring/log-store";

export const dynamic = "force-dynamic";

/** Recent log entries, newest first: `?level=info|warn|error|fatal&since=ISO&runId=&limit=1..1000`. */
export const GET = withAdmin(async (req) => {
  const entries = await queryLogs(db(), readQuery(req, logQuerySchema));
  return Response.json({ entries }, { headers: { "cache-control": "no-store" } });
});
