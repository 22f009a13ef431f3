// Same-origin API paths a page's scripts name: string literals such as "/api/admin/users" in the
// JavaScript a page loads. What the code merely mentions is weaker evidence than what the browser
// requested (browser.ts), so a literal must look like a whole path: not a prefix that a template
// completes ("/api/posts/" + id), not a base path that others extend ("/api/auth").

const LITERAL = /["'`](\/api(?:\/[A-Za-z0-9._~%-]+)+)(?=["'`?])/g;

/** The `/api/...` paths named as whole string literals in `script`. */
export function apiPathsIn(script: string): string[] {
  const found = new Set<string>();
  for (const match of script.matchAll(LITERAL)) {
    const path = match[1] as string;
    if (/\.(js|css|map|png|svg|json)$/.test(path)) continue; // a file, not an endpoint
    found.add(path);
  }
  return [...found];
}

/** Drops paths that are only a prefix of another found path (a base path like /api/auth). */
export function wholePaths(paths: string[]): string[] {
  return paths.filter((p) => !paths.some((other) => other !== p && other.startsWith(`${p}/`)));
}
