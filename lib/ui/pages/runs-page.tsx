import type { Metadata } from "next";
import { RunsSection } from "../components/history/runs-section";

export const metadata: Metadata = { title: "Troubleshooting runs" };

export default async function RunsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  return (
    <div className="tr:space-y-6">
      <h1 className="tr:text-lg tr:font-semibold">Runs</h1>
      <RunsSection action="/admin/troubleshooting/runs" searchParams={await searchParams} />
    </div>
  );
}
