import type { Metadata } from "next";
import { EmptySection } from "@/components/empty-section";

export const metadata: Metadata = { title: "History" };

export default function HistoryPage() {
  return <EmptySection title="History">Health-score history and issue trends are charted here once runs have been recorded.</EmptySection>;
}
