import { readQuery } from "@/lib/api/request";
import { withAdmin } from "@/lib/auth/guard";
import { db } from "@/lib/db";
import { exportQuerySchema, monitoringExportFile } from "@/lib/monitoring/export";

export const dynamic = "force-dynamic";

/** Per-day run/issue/check/fix figures and tracked errors as a download:
 * `?from=ISO&to=ISO&format=json|csv` (range [from, to), at most 366 days; default the last 30 days, JSON). */
export const GET = withAdmin(async (req) => {
  const file = await monitoringExportFile(db(), readQuery(req, exportQuerySchema));
  return new Response(file.body, {
    headers: {
      "content-type": file.contentType,
      "content-disposition": `attachment; filename="${file.filename}"`,
      "cache-control": "no-store",
    },
  });
});
