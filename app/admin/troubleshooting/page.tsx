import type { Metadata } from "next";
import { HealthSummary } from "@/components/health-summary";
import { RecentRuns } from "@/components/recent-runs";
import { db } from "@/lib/db";
import { checkAppHealth } from "@/lib/health/app-health";
import { listRuns } from "@/lib/troubleshooting/queries";

export const metadata: Metadata = { title: "Troubleshooting" };

export default async function OverviewPage() {
  const [health, recent] = await Promise.all([
    checkAppHealth(db()),
    listRuns(db(), { page: 1, pageSize: 5 }).then((list) => list.runs, () => null),
  ]);
  return (
    <div className="space-y-8">
      <section>
        <h1 className="text-lg font-semibold">Troubleshooting</h1>
        <p className="mt-1 text-sm text-slate-600">
          Diagnose the web, database and network layers of your platform, apply safe fixes, and verify them.
        </p>
      </section>
      <HealthSummary health={health} />
      <RecentRuns runs={recent} />
    </div>
  );
}
