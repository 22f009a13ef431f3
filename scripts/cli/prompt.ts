// The approval prompt of a run started on a terminal: one question per fix waiting for a decision.
import { createInterface } from "node:readline/promises";
import { block, oneLine } from "./terminal";

export interface PendingFix {
  id: string;
  code: string;
  /** What the fix does (its describe(): the statement it runs), shown before the question. */
  detail: string | null;
}

export interface PromptIo {
  input: NodeJS.ReadableStream;
  output: NodeJS.WritableStream;
  /** Whether to read keys (Ctrl-C among them) rather than lines: the input is a terminal. */
  terminal?: boolean;
}

/**
 * Asks about each fix in turn ("y" approves, anything else rejects) and records each answer with
 * `decide` (true when that decision was the run's last: the run can resume). Ctrl-C asks nothing
 * more, records no decision for the fix being asked about, and cancels the run (awaited, so the
 * report that follows says cancelled). Returns whether the run can resume.
 */
export async function askDecisions(pending: PendingFix[], io: PromptIo, decide: (fix: PendingFix, decision: "approve" | "reject") => Promise<boolean>, cancel: () => Promise<void>): Promise<boolean> {
  const rl = createInterface({ input: io.input, output: io.output, terminal: io.terminal });
  // A question pending when the interface closes never settles (node 20): it is aborted instead,
  // on Ctrl-C and when the input ends. Else the process would drain its event loop and exit 0.
  const interrupted = new AbortController();
  let cancelling: Promise<void> | undefined;
  rl.once("SIGINT", () => {
    cancelling = cancel();
    interrupted.abort();
  });
  rl.once("close", () => interrupted.abort());
  let resume = false;
  try {
    for (const fix of pending) {
      // The question shows the statement the fix runs, with nothing in it obeyed by the terminal.
      const answer = await rl.question(`Approve ${oneLine(fix.code)}? ${block(fix.detail ?? "")} [y/N] `, { signal: interrupted.signal }).catch(() => null);
      if (answer === null) break; // Ctrl-C, or the input ended: this fix stays undecided
      resume = await decide(fix, /^y(es)?$/i.test(answer.trim()) ? "approve" : "reject");
    }
  } finally {
    rl.close();
  }
  if (cancelling) {
    await cancelling;
    return false;
  }
  return resume;
}
