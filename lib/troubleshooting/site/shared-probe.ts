// The web and network bots of one run run in parallel and read the same site: one discovery (one
// browser), one set of endpoint samples. The first bot to ask creates the probe; it lives until
// the last bot of the run lets go of it, or its deadline passes.
import type { Target } from "../catalogue";
import { type SiteProbe, type SiteProbeOptions, createSiteProbe } from "./site-probe";

interface Shared {
  probe: SiteProbe;
  users: number;
  controller: AbortController;
  timer: NodeJS.Timeout;
}

const live = new Map<string, Shared>();

/** The run's probe of `target` (keyed by `key`, e.g. the run id and base URL), bounded by
 * `deadlineMs`; call `release` when done with it. */
export function acquireSiteProbe(key: string, target: Target, deadlineMs: number, options: SiteProbeOptions = {}): { probe: SiteProbe; release(): void } {
  let shared = live.get(key);
  if (!shared) {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(new Error("the site probe's deadline passed")), deadlineMs);
    timer.unref();
    shared = { probe: createSiteProbe(target, controller.signal, options), users: 0, controller, timer };
    live.set(key, shared);
  }
  const own = shared;
  own.users++;
  let released = false;
  return {
    probe: own.probe,
    release() {
      if (released) return;
      released = true;
      if (--own.users > 0) return;
      clearTimeout(own.timer);
      own.controller.abort(new Error("the run's bots are done with the site"));
      if (live.get(key) === own) live.delete(key);
    },
  };
}
