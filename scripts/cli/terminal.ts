// What the CLI writes to a terminal. Findings, titles, fix details, reasons and errors quote the
// target (table names, page titles, server messages): each goes through visibleControls, so an
// escape sequence in them is shown, not obeyed. The CLI's own control codes (the progress line's
// \r and erase-line) are added after, around text already made visible.
import { visibleControls } from "../../lib/troubleshooting/plain-text";

/** A value on one line: every control character (newline included) made visible. */
export const oneLine = (value: unknown): string => visibleControls(String(value ?? ""));

/** A text that may span lines (advice steps, code snippets, the summary): newline and tab stay,
 * continuation lines are indented under the first so that they cannot pass for the CLI's own. */
export const block = (value: unknown, indent = "    "): string => visibleControls(String(value ?? ""), true).replace(/\n/g, `\n${indent}`);

/** JSON for stdout. JSON.stringify escapes U+0000–U+001F but writes DEL and the C1 controls
 * (U+0080–U+009F, U+009B being CSI to some terminals) raw: those are escaped too (still valid JSON,
 * parsed back to the same strings). */
export function terminalJson(value: unknown): string {
  return JSON.stringify(value, null, 2).replace(/[\u007f-\u009f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}
