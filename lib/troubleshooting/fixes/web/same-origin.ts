import type { Target } from "../../catalogue";

/** Fix parameters come from stored findings: a URL is used only if it is the target's own. */
export function isTargetUrl(target: Target, url: string): boolean {
  if (!URL.canParse(url)) return false;
  const origins = new Set([target.baseUrl, ...target.endpoints].map((u) => new URL(u).origin));
  return origins.has(new URL(url).origin);
}

export const pathsOf = (urls: unknown[]): string[] =>
  [...new Set(urls.filter((u): u is string => typeof u === "string" && URL.canParse(u)).map((u) => new URL(u).pathname))];
