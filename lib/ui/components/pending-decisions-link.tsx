import { PageLink } from "../paths";

/** "2 fixes need your decision", linking to the run's decisions (the run page's first section). */
export function PendingDecisionsLink({ runId, count }: { runId: string; count: number }) {
  return (
    <PageLink to={`/runs/${runId}#decisions`} className="tr:font-medium tr:whitespace-nowrap tr:text-amber-800 tr:underline tr:underline-offset-2 tr:dark:text-amber-200" data-testid="pending-decisions-link">
      {decisionsText(count)}
    </PageLink>
  );
}

export const decisionsText = (count: number) => `${count} ${count === 1 ? "fix needs" : "fixes need"} your decision`;
