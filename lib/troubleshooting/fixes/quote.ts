// Names the target controls (tables, indexes, migrations) quoted for the language of the advice
// they are shown in, so that copying a statement or command runs only what it says.

/** A PostgreSQL identifier: "name" with embedded quotes doubled (as format('%I') would, always quoted). */
export function sqlIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** schema.name, each part quoted. */
export function sqlQualified(schema: string, name: string): string {
  return `${sqlIdentifier(schema)}.${sqlIdentifier(name)}`;
}

/** A PostgreSQL string literal: 'text' with embedded quotes doubled (standard_conforming_strings). */
export function sqlLiteral(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}

/** One POSIX shell word: single-quoted, embedded single quotes closed, escaped and reopened. */
export function shellArgument(text: string): string {
  return /^[\w@%+=:,./-]+$/.test(text) ? text : `'${text.replaceAll("'", "'\\''")}'`;
}
