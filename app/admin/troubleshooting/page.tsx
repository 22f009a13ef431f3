import type { Metadata } from "next";
import { HealthSummary } from "@/components/health-summary";
import { db } from "@/lib/db";
import { checkAppHealth } from "@/lib/health/app-health";

export const metadata: Metadata = { title: "Troubleshooting" };

export default async function OverviewPage() {
  const health = await checkAppHealth(db());
  return (
    <div className="space-y-8">
      <section>
        <h1 className="text-lg font-semibold">Troubleshooting</h1>
        <p className="mt-1 text-sm text-slate-600">
          Diagnose the web, database and network layers of your platform, apply safe fixes, and verify them.
        </p>
      </section>
      <HealthSummary health={health} />
      <section className="rounded-xl border border-dashed border-slate-300 bg-white p-6 text-sm text-slate-600">
        No troubleshooting runs recorded yet.
      </section>
    </div>
  );
}
