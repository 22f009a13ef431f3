import { z } from "zod";
import { ApiError } from "@/lib/api/errors";
import { readQuery } from "@/lib/api/request";
import { withAdmin } from "@/lib/auth/guard";
import { db } from "@/lib/db";
import { parseRunId } from "@/lib/troubleshooting/runs/api-schemas";
import { buildReport } from "@/lib/troubleshooting/queries/report";
import { reportToMarkdown } from "@/lib/troubleshooting/queries/markdown";

export const dynamic = "force-dynamic";

const querySchema = z.object({ format: z.enum(["json", "md"]).default("json") });

/** The run's report as a download: JSON (the report schema) or Markdown. */
export const GET = withAdmin<{ runId: string }>(async (req, { params }) => {
  const runId = await parseRunId(params);
  const { format } = readQuery(req, querySchema);
  const report = await buildReport(db(), runId);
  if (!report) throw new ApiError(404, "not_found", "No such run.");
  const body = format === "md" ? reportToMarkdown(report) : JSON.stringify(report, null, 2);
  return new Response(body, {
    headers: {
      "content-type": format === "md" ? "text/markdown; charset=utf-8" : "application/json; charset=utf-8",
      "content-disposition": `attachment; filename="troubleshooting-${runId}.${format}"`,
      "cache-control": "no-store",
    },
  });
});
