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

// Every C0 and C1 control character, DEL included: what a terminal may act on (ESC, BEL, CR,
// backspace, U+009B CSI...). Tab and newline are kept only where a text may span lines.
const ANY_CONTROL = /[\u0000-\u001f\u007f-\u009f]/g;
const CONTROL_BUT_LAYOUT = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;

/** `text` for a terminal: each control character becomes a visible escape (ESC → `\x1b`), so
 * that target text can neither move the cursor, clear the screen nor set the title. With
 * `multiline`, tab and newline stay (advice with several steps or a code snippet). */
export function visibleControls(text: string, multiline = false): string {
  return text.replace(multiline ? CONTROL_BUT_LAYOUT : ANY_CONTROL, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, "0")}`);
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
