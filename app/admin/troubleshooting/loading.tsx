/** Placeholder blocks of the pages' shape while the server renders, so nothing jumps. */
export default function Loading() {
  return (
    <div className="space-y-6" aria-busy="true" aria-label="Loading">
      <div className="h-6 w-48 animate-pulse rounded bg-slate-200 dark:bg-slate-800" />
      <div className="grid gap-6 md:grid-cols-2">
        <div className="card h-48 animate-pulse" />
        <div className="card h-48 animate-pulse" />
      </div>
      <div className="card h-64 animate-pulse" />
    </div>
  );
}
