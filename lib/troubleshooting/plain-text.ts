// Findings quote what the target controls (paths, page titles, console messages, header values).
// Those texts reach the dashboard (React escapes them), the Markdown report (its cells escape them)
// and the terminal, where an escape sequence would run: they are kept to printable text here,
// once, for every check. And a URL or a message can carry a secret (a configured endpoint's
// ?token=, a password in a connection string): findings are scrubbed as log lines are.
import type { IssueDraft } from "./catalogue";
import { scrub, scrubString } from "../monitoring/redact";

// C0 and C1 control characters other than tab and newline, and DEL.
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;

/** `text` without control characters (each becomes U+FFFD, so that something visibly stood there). */
export function plainText(text: string): string {
  return text.replace(CONTROL, "\ufffd");
}

/** The draft as it may be stored and shown: texts plain and scrubbed, evidence scrubbed. The
 * subject is scrubbed too, so verification compares `publishable(draft).subject`. */
export function publishable(draft: IssueDraft): IssueDraft {
  const text = (value: string) => plainText(scrubString(value));
  return {
    ...draft,
    subject: scrubString(draft.subject),
    title: text(draft.title),
    description: text(draft.description),
    evidence: scrub(draft.evidence),
    ...(draft.recommendation ? { recommendation: text(draft.recommendation) } : {}),
  };
}
