// A fresh `npm install` on the Node version the README and package.json name prints no EBADENGINE
// warning: every package the lockfile installs accepts it, as npm's own engine check judges
// (semver.satisfies of its `engines.node`, prereleases included). The one package without such a
// version is replaced by a local stand-in (package.json's overrides; README, Requirements).
import { readFileSync } from "node:fs";
import path from "node:path";
import semver from "semver";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { packageRoot } from "./launch.mjs";

const ROOT = packageRoot();
const lockfile = z
  .object({ packages: z.record(z.string(), z.object({ engines: z.union([z.record(z.string(), z.string()), z.array(z.string())]).optional(), link: z.boolean().optional() })) })
  .parse(JSON.parse(readFileSync(path.join(ROOT, "package-lock.json"), "utf8")));
const manifest = z.object({ engines: z.object({ node: z.string() }) }).parse(JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8")));

/** Installed packages whose engines.node does not accept `version`. */
function refusing(version: string): string[] {
  return Object.entries(lockfile.packages).flatMap(([where, entry]) => {
    const range = entry.engines && !Array.isArray(entry.engines) ? entry.engines.node : undefined;
    return range && where !== "" && !semver.satisfies(version, range, { includePrerelease: true }) ? [`${where} (node ${range})`] : [];
  });
}

describe("engines", () => {
  it("every locked package accepts the lowest Node package.json names and the Node running the tests", () => {
    const lowest = semver.minVersion(manifest.engines.node)?.version;
    expect(lowest).toBe("20.19.0");
    expect(refusing(lowest ?? "")).toEqual([]);
    expect(refusing(process.versions.node)).toEqual([]);
  });

  it("@prisma/streams-local (Node 22+ only, loaded by prisma dev alone) is the local stand-in, which refuses to load", async () => {
    expect(lockfile.packages["node_modules/@prisma/streams-local"]?.link).toBe(true);
    await expect(import(path.join(ROOT, "vendor/no-prisma-streams-local/index.js"))).rejects.toThrow("not installed in this project");
  });
});
