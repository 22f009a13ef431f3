import type { Metadata } from "next";
import { EmptySection } from "@/components/empty-section";

export const metadata: Metadata = { title: "Monitoring" };

export default function MonitoringPage() {
  return <EmptySection title="Monitoring">Metrics, error patterns and alerts appear here once monitoring data has been collected.</EmptySection>;
}
