// The prober's own stalls. A timed request measures the target AND the prober: while this process
// is not running JavaScript (a blocked event loop, a long GC pause, a CPU it does not get, Chromium
// being unpacked), an answer that has arrived waits unread, and the wait is counted as the
// target's. A fine timer that should fire every TICK_MS and fires late says that the process was
// not running for that long, and when: what a latency measurement needs to know to throw out the
// samples it overlapped.
//
// perf_hooks.monitorEventLoopDelay measures the same lateness, but only as a histogram with no
// times, so it cannot say WHICH samples a stall overlapped; this timer can, for a cost of about a
// hundred trivial callbacks a second while someone is sampling (it runs only then, ref-counted).

/** The timer's period, ms. Fine enough to place a stall within 10 ms of where it happened. */
const TICK_MS = 10;

/** Lateness (ms) from which the prober counts as stalled, unless a caller asks for another bound.
 * A stall adds at most its own length to a sample, and samples are judged against 800 ms (TTFB)
 * and 1,000 ms (endpoint latency): 50 ms cannot move a healthy sample across either. It is well
 * above ordinary timer lateness, so a merely busy machine does not throw out every sample: measured
 * on a 2-core machine over 5 s, idle: max 3 ms; with four CPU-bound processes (the kernel
 * time-slices them in a few ms): p99 4-6 ms, max 16 ms. */
export const STALL_THRESHOLD_MS = 50;

/** Lateness (ms) recorded at all: small delays are noise that no caller asks about. */
const RECORD_FROM_MS = 20;

/** Stalls kept for questions about the past (more than a sampling run ever spans). */
const KEEP = 1_000;

/** A stretch of time, in `performance.now()` ms, during which the process was not running. */
interface Stall {
  /** The last time the process was seen running before the stall. */
  from: number;
  /** When it ran again. */
  to: number;
  /** How late the timer was, ms: the stall's length, give or take one tick. */
  ms: number;
}

export interface StallWatch {
  /** The longest stall (ms) of at least `minMs` that overlapped [from, to] (`performance.now()`
   * ms), counting one still going on now; 0 when there was none. */
  stallDuring(from: number, to: number, minMs?: number): number;
  /** Ends this watch; the timer stops when the last watch ends. Calling it twice is harmless. */
  stop(): void;
}

let watchers = 0;
let timer: NodeJS.Timeout | null = null;
let lastTick = 0;
const stalls: Stall[] = [];

function tick(): void {
  const now = performance.now();
  const late = now - lastTick - TICK_MS;
  if (late >= RECORD_FROM_MS) {
    stalls.push({ from: lastTick, to: now, ms: Math.round(late) });
    if (stalls.length > KEEP) stalls.splice(0, stalls.length - KEEP);
  }
  lastTick = now;
}

/** Starts watching the prober's own delay (sharing one timer with every other watch). */
export function watchStalls(): StallWatch {
  if (watchers++ === 0) {
    lastTick = performance.now();
    // unref: watching must never keep a process alive that has nothing else to do.
    timer = setInterval(tick, TICK_MS).unref();
  }
  let stopped = false;
  return {
    stallDuring: (from, to, minMs = STALL_THRESHOLD_MS) => longestStall(from, to, minMs),
    stop() {
      if (stopped) return;
      stopped = true;
      if (--watchers === 0 && timer) {
        clearInterval(timer);
        timer = null;
      }
    },
  };
}

function longestStall(from: number, to: number, minMs: number): number {
  let longest = 0;
  for (const s of stalls) if (s.ms >= minMs && s.from < to && s.to > from) longest = Math.max(longest, s.ms);
  // A stall that just ended (or is ending: this very code runs after it) may not have been ticked
  // yet: the answer that ends a sample can be handled before the overdue timer in the same turn.
  if (timer) {
    const overdue = performance.now() - lastTick - TICK_MS;
    if (overdue >= minMs && lastTick < to) longest = Math.max(longest, Math.round(overdue));
  }
  return longest;
}
