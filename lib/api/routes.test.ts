// The README's API table and the route table the catch-all serves are the same list.
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { findRoute } from "./dispatch";
import { ROUTES } from "./routes";

const normalise = (p: string) => p.replace(/:\w+/g, ":param");

function readmeRows(): string[] {
  const readme = readFileSync(path.resolve(import.meta.dirname, "../../README.md"), "utf8");
  const api = readme.slice(readme.indexOf("## API\n"), readme.indexOf("\n## ", readme.indexOf("## API\n") + 5));
  return [...api.matchAll(/^\| `(GET|POST|PUT|PATCH|DELETE) \/api\/admin\/bots([^`?]*)/gm)].map((m) => `${m[1]} ${normalise(m[2] || "/")}`);
}

describe("the API route table", () => {
  it("is the README's API table, row for row", () => {
    const table = ROUTES.map((r) => `${r.method} ${normalise(r.path)}`);
    expect(readmeRows().sort()).toEqual(table.sort());
  });

  it("matches paths with their parameters, and names the methods a path has", () => {
    expect(findRoute("GET", ["runs", "abc"]).match?.params).toEqual({ runId: "abc" });
    expect(findRoute("DELETE", ["runs"])).toMatchObject({ match: null, allowed: ["POST", "GET"] });
    expect(findRoute("GET", ["nope"])).toEqual({ match: null, allowed: [], pathGuard: "admin" });
    expect(findRoute("DELETE", ["metrics"])).toMatchObject({ allowed: ["GET"], pathGuard: "admin-or-metrics-token" });
    expect(findRoute("GET", ["runs", "abc", "events", "more"]).match).toBeNull();
  });
});
