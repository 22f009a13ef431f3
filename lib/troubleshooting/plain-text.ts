// Findings quote what the target controls (paths, page titles, console messages, header values).
// Those texts reach the dashboard (React escapes them), the Markdown report (its cells escape them)
// and the terminal, where an escape sequence would run: they are kept to printable text here,
// once, for every check.

// C0 and C1 control characters other than tab and newline, and DEL.
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;

/** `text` without control characters (each becomes U+FFFD, so that something visibly stood there). */
export function plainText(text: string): string {
  return text.replace(CONTROL, "\ufffd");
}
