// The target as the dashboard may show it: the site's URL and the database's host, port and
// name. Never a user name or password: computed on the server, so they never reach the browser.

/** What a run will check or checked, without credentials. */
export interface TargetLabel {
  baseUrl: string;
  /** "host:port/dbname", or a fixed text when the URL cannot be read. */
  database: string;
}

/** "db.internal:5432/app" from "postgresql://user:secret@db.internal:5432/app?sslmode=require". */
export function databaseLabel(databaseUrl: string): string {
  try {
    const url = new URL(databaseUrl);
    return `${url.host}${url.pathname}`;
  } catch {
    return "(database URL not readable)";
  }
}

export function targetLabel(baseUrl: string, databaseUrl: string): TargetLabel {
  return { baseUrl, database: databaseLabel(databaseUrl) };
}
