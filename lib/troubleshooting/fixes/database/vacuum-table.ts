import { tableMaintenance } from "./table-maintenance";

/** Plain VACUUM (never FULL): takes no lock that blocks reads or writes. */
export const dbVacuumTable = tableMaintenance(
  {
    code: "db.vacuum_table",
    title: "Vacuum the table",
    description: "Plain VACUUM (ANALYZE) of a table reported by db.table_bloat or db.vacuum_overdue; never VACUUM FULL.",
    addresses: ["db.table_bloat", "db.vacuum_overdue"],
  },
  "VACUUM (ANALYZE)",
);
