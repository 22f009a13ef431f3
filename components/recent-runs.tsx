import type { listRuns } from "@/lib/troubleshooting/queries";

type RunRow = Awaited<ReturnType<typeof listRuns>>["runs"][number];

/** The latest runs, newest first; says so plainly when there are none or they cannot be read. */
export function RecentRuns({ runs }: { runs: RunRow[] | null }) {
  if (runs === null) {
    return (
      <section className="rounded-xl border border-dashed border-slate-300 bg-white p-6 text-sm text-slate-600">
        Runs cannot be listed while the database is unreachable.
      </section>
    );
  }
  if (runs.length === 0) {
    return (
      <section className="rounded-xl border border-dashed border-slate-300 bg-white p-6 text-sm text-slate-600">
        No troubleshooting runs recorded yet. Start one with <code>npm run troubleshoot</code> or <code>POST /api/admin/bots/runs</code>.
      </section>
    );
  }
  return (
    <section aria-label="Recent runs" className="rounded-xl border border-slate-200 bg-white shadow-sm">
      <h2 className="border-b border-slate-200 px-6 py-3 font-semibold">Recent runs</h2>
      <table className="w-full text-left text-sm">
        <thead className="text-slate-500">
          <tr>
            <th className="px-6 py-2 font-medium">Started</th>
            <th className="px-6 py-2 font-medium">Status</th>
            <th className="px-6 py-2 font-medium">Trigger</th>
            <th className="px-6 py-2 font-medium">Issues</th>
            <th className="px-6 py-2 font-medium">Health</th>
          </tr>
        </thead>
        <tbody>
          {runs.map((run) => (
            <tr key={run.id} className="border-t border-slate-100" data-testid="run-row">
              <td className="px-6 py-2">{run.startedAt.toISOString().replace("T", " ").slice(0, 19)} UTC</td>
              <td className="px-6 py-2">{run.status.replace("_", " ")}</td>
              <td className="px-6 py-2">{run.trigger}</td>
              <td className="px-6 py-2">{run.issueCount}</td>
              <td className="px-6 py-2">
                {run.healthScoreBefore ?? "–"} → {run.healthScoreAfter ?? "–"}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
