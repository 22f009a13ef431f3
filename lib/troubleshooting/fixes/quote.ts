// Names the target controls (tables, indexes, migrations) quoted for the language of the advice
// they are shown in, so that copying a statement or command runs only what it says. A name with
// control characters (newline, ESC...) is written with escapes instead: the statement or command
// stays on one line, and nothing in it acts on the terminal that shows it.

// C0 and C1 control characters and DEL.
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
const CONTROLS = /[\u0000-\u001f\u007f-\u009f]/g;

/** Text for a PostgreSQL Unicode-escape literal body (U&"..." or U&'...'): backslash doubled,
 * control characters as \XXXX. */
const unicodeEscaped = (text: string) => text.replaceAll("\\", "\\\\").replace(CONTROLS, (c) => `\\${c.charCodeAt(0).toString(16).padStart(4, "0")}`);

/** A PostgreSQL identifier: "name" with embedded quotes doubled (as format('%I') would, always
 * quoted); U&"..." with \XXXX escapes when it holds control characters. */
export function sqlIdentifier(name: string): string {
  return CONTROL.test(name) ? `U&"${unicodeEscaped(name).replaceAll('"', '""')}"` : `"${name.replaceAll('"', '""')}"`;
}

/** schema.name, each part quoted. */
export function sqlQualified(schema: string, name: string): string {
  return `${sqlIdentifier(schema)}.${sqlIdentifier(name)}`;
}

/** A PostgreSQL string literal: 'text' with embedded quotes doubled (standard_conforming_strings);
 * U&'...' with \XXXX escapes when it holds control characters. */
export function sqlLiteral(text: string): string {
  return CONTROL.test(text) ? `U&'${unicodeEscaped(text).replaceAll("'", "''")}'` : `'${text.replaceAll("'", "''")}'`;
}

const singleQuoted = (text: string) => `'${text.replaceAll("'", "'\\''")}'`;

/** One POSIX shell word: single-quoted, embedded single quotes closed, escaped and reopened. With
 * control characters, "$(printf '%b' '...')" with \0ooo escapes (POSIX sh has no $'...'); a
 * command substitution drops trailing newlines, which no real name ends with. */
export function shellArgument(text: string): string {
  if (/^[\w@%+=:,./-]+$/.test(text)) return text;
  if (!CONTROL.test(text)) return singleQuoted(text);
  // printf writes bytes: a C1 character is its two UTF-8 bytes.
  const octal = (c: string) => [...Buffer.from(c, "utf8")].map((byte) => `\\0${byte.toString(8).padStart(3, "0")}`).join("");
  const escaped = text.replaceAll("\\", "\\\\").replace(CONTROLS, octal);
  return `"$(printf '%b' ${singleQuoted(escaped)})"`;
}
