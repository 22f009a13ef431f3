import { tableMaintenance } from "./table-maintenance";

/** ANALYZE only reads the table and refreshes planner statistics: safe to run unattended. */
export const dbAnalyzeTable = tableMaintenance(
  {
    code: "db.analyze_table",
    title: "Refresh the table's statistics (ANALYZE)",
    description: "Runs ANALYZE on a table reported by db.stale_statistics.",
    addresses: ["db.stale_statistics"],
  },
  "ANALYZE",
);
