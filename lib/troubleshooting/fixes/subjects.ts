// What a planned action acts on, and a scheduler that applies actions concurrently except those
// sharing a subject. Two actions on one table (VACUUM and ANALYZE of public.orders), one session
// (cancel and terminate of pid 4242) or the platform's deployment (a redeploy and a rollback)
// must not run at once: they would race, and the second would act on a state it did not plan for.
import pLimit from "p-limit";

/** The subject keys of an action, from its catalogue code and its (already validated) parameters:
 * `pid:<n>`, `role:<name>`, `table:<schema>.<table>`, `index:<schema>.<index>`, `url:<url>`,
 * `platform` (deploy, rollback, revalidation). An action whose parameters name none of these gets
 * its own code as key, so two unknown actions of one kind never overlap. */
export function subjectsOf(code: string, params: unknown): string[] {
  const p = (typeof params === "object" && params !== null ? params : {}) as Record<string, unknown>;
  const keys: string[] = [];
  if (typeof p.pid === "number") keys.push(`pid:${p.pid}`);
  if (typeof p.role === "string") keys.push(`role:${p.role}`);
  if (typeof p.schema === "string" && typeof p.table === "string") keys.push(`table:${p.schema}.${p.table}`);
  if (typeof p.schema === "string" && typeof p.index === "string") keys.push(`index:${p.schema}.${p.index}`);
  if (typeof p.url === "string") keys.push(`url:${p.url}`);
  if (code === "web.redeploy" || code === "web.rollback_deployment" || code === "web.revalidate_paths") keys.push("platform");
  return keys.length > 0 ? keys : [code];
}

export interface ScheduledWork<T> {
  keys: string[];
  run: () => Promise<T>;
}

/**
 * Runs every piece of work, at most `concurrency` at a time, starting them in the order given;
 * work sharing a key with earlier work starts only after that work has ended (in the given order).
 * Settles like Promise.allSettled: one failure neither stops nor hides the others.
 */
export function runBySubject<T>(work: ScheduledWork<T>[], concurrency: number): Promise<PromiseSettledResult<T>[]> {
  const limit = pLimit(concurrency);
  const tails = new Map<string, Promise<unknown>>();
  return Promise.allSettled(
    work.map(({ keys, run }) => {
      const before = [...new Set(keys)].map((key) => tails.get(key) ?? Promise.resolve());
      // Wait for the subject before taking a slot: a slot held while waiting could starve the
      // very work it waits for.
      const done = Promise.allSettled(before).then(() => limit(run));
      const settled = done.then(() => undefined, () => undefined);
      for (const key of keys) tails.set(key, settled);
      return done;
    }),
  );
}
