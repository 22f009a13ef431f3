// What a planned action acts on, and a scheduler that applies actions concurrently except those
// sharing a subject. Two actions on one table (VACUUM and ANALYZE of public.orders), one session
// (cancel and terminate of pid 4242) or the platform's deployment (a redeploy and a rollback)
// must not run at once: they would race, and the second would act on a state it did not plan for.
// Actions that only send GETs to a URL change nothing there: they overlap each other.
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

/** Actions that only send GETs to their URL (warming a page, re-probing an endpoint): they change
 * nothing on it, so two of them on one URL may run at once (two warmings of one slow page, for its
 * TTFB and its LCP, took 5.6 s each one after the other); an action that changes the URL's state
 * would still wait for them, and they for it. */
const READ_ONLY_ACTIONS = new Set(["web.warm_cache", "net.reprobe_transient"]);

/** Whether an action only reads its subjects (see READ_ONLY_ACTIONS). */
export const readsOnly = (code: string): boolean => READ_ONLY_ACTIONS.has(code);

export interface ScheduledWork<T> {
  keys: string[];
  /** The work only reads its subjects: it overlaps other readers of them, never other work. */
  shared?: boolean;
  run: () => Promise<T>;
}

/** Per key: the last exclusive work's end, and the ends of the readers started since. */
interface Tail {
  exclusive: Promise<unknown>;
  readers: Promise<unknown>[];
}

/**
 * Runs every piece of work, at most `concurrency` at a time, starting them in the order given;
 * work sharing a key with earlier work starts only after that work has ended (in the given order),
 * except that readers (`shared`) of a key wait only for earlier exclusive work on it, and the next
 * exclusive work waits for all of them. Settles like Promise.allSettled: one failure neither stops
 * nor hides the others.
 */
export function runBySubject<T>(work: ScheduledWork<T>[], concurrency: number): Promise<PromiseSettledResult<T>[]> {
  const limit = pLimit(concurrency);
  const tails = new Map<string, Tail>();
  const idle: Tail = { exclusive: Promise.resolve(), readers: [] };
  return Promise.allSettled(
    work.map(({ keys, shared = false, run }) => {
      const unique = [...new Set(keys)];
      const before = unique.flatMap((key) => {
        const tail = tails.get(key) ?? idle;
        return shared ? [tail.exclusive] : [tail.exclusive, ...tail.readers];
      });
      // Wait for the subject before taking a slot: a slot held while waiting could starve the
      // very work it waits for.
      const done = Promise.allSettled(before).then(() => limit(run));
      const settled = done.then(() => undefined, () => undefined);
      for (const key of unique) {
        const tail = tails.get(key) ?? idle;
        tails.set(key, shared ? { exclusive: tail.exclusive, readers: [...tail.readers, settled] } : { exclusive: settled, readers: [] });
      }
      return done;
    }),
  );
}
