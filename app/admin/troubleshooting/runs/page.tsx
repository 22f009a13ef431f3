import type { Metadata } from "next";
import { EmptySection } from "@/components/empty-section";

export const metadata: Metadata = { title: "Runs" };

export default function RunsPage() {
  return <EmptySection title="Runs">Troubleshooting runs, with their phases, findings and fixes, are listed here once a run has been started.</EmptySection>;
}
