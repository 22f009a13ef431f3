// What `npm pack` puts in the tarball a host installs (README, "Add it to your Next.js app"): every
// file the host compiles or the package's bin and install script run, reached by following relative
// imports from the entry points, and none of the repository's tests, fixtures or build output.
// Read from npm's own dry run, so that package.json's "files" is checked as npm applies it.
import { execFile } from "node:child_process";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { z } from "zod";

const ROOT = path.resolve(import.meta.dirname, "../..");

/** Entry points of the package: its exports, its bin, what the bin and the postinstall run. */
const ENTRIES = [
  "lib/mount/index.ts",
  "lib/mount/next-config.mjs",
  "lib/mount/next-config.d.mts",
  "lib/ui/troubleshooter.css",
  "bin/troubleshooter.mjs",
  "scripts/db/migrate-addon.ts",
  "scripts/prisma-generate.mjs",
  "prisma.config.ts",
];

const packOutput = z.array(z.object({ entryCount: z.number(), files: z.array(z.object({ path: z.string() })) })).length(1);

/** The paths `npm pack` would put in the tarball (relative, "/"-separated). */
async function packedFiles(): Promise<Set<string>> {
  const { stdout } = await promisify(execFile)("npm", ["pack", "--dry-run", "--json", "--ignore-scripts"], { cwd: ROOT, maxBuffer: 16 * 1024 * 1024 });
  const [pack] = packOutput.parse(JSON.parse(stdout));
  return new Set(pack!.files.map((f) => f.path));
}

const IMPORT = /(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)["'](\.{1,2}\/[^"']+)["']/g;
const CANDIDATES = ["", ".ts", ".tsx", ".mjs", ".js", "/index.ts", "/index.tsx"];

/** Every repository file reached from `entries` through relative imports. The Prisma client under
 * lib/generated is made at install time (postinstall), so it is left out of the walk. */
async function importClosure(entries: string[]): Promise<Set<string>> {
  const seen = new Set<string>();
  const queue = [...entries];
  while (queue.length) {
    const file = queue.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    if (!/\.(ts|tsx|mjs|js|mts)$/.test(file)) continue;
    const source = await readFile(path.join(ROOT, file), "utf8");
    for (const [, spec] of source.matchAll(IMPORT)) {
      const target = path.posix.join(path.posix.dirname(file), spec!);
      if (target.startsWith("lib/generated/")) continue;
      const found = await firstExisting(CANDIDATES.map((ext) => target + ext));
      if (!found) throw new Error(`${file} imports ${spec}, which is no file`);
      queue.push(found);
    }
  }
  return seen;
}

async function firstExisting(files: string[]): Promise<string | null> {
  for (const file of files) {
    const ok = await readFile(path.join(ROOT, file)).then(() => true, () => false);
    if (ok) return file;
  }
  return null;
}

describe("the package a host installs", () => {
  it("holds every file its entry points reach, and no tests, fixtures or build output", async () => {
    const packed = await packedFiles();
    const needed = await importClosure(ENTRIES);
    expect([...needed].filter((file) => !packed.has(file))).toEqual([]);
    expect(packed).toContain("prisma/schema.prisma");
    expect([...packed].some((file) => /^prisma\/migrations\/\d+_init\/migration\.sql$/.test(file))).toBe(true);

    const unwanted = [...packed].filter((file) =>
      /^(fixtures|e2e|app|components|bench|docs|types|\.data|\.next|\.ci|test-results|lib\/generated)\//.test(file) ||
      /\.test\.tsx?$/.test(file) ||
      /^(next\.config\.mjs|instrumentation\.ts|proxy\.ts|playwright\.config\.ts|vitest\.config\.ts|tsconfig\.json|vercel\.json)$/.test(file),
    );
    expect(unwanted).toEqual([]);
  });

  it("points its exports and bin at packed files", async () => {
    const packed = await packedFiles();
    const manifest = z
      .object({ exports: z.record(z.string(), z.union([z.string(), z.record(z.string(), z.string())])), bin: z.record(z.string(), z.string()) })
      .parse(JSON.parse(await readFile(path.join(ROOT, "package.json"), "utf8")));
    const targets = [
      ...Object.values(manifest.exports).flatMap((target) => (typeof target === "string" ? [target] : Object.values(target))),
      ...Object.values(manifest.bin),
    ].map((target) => path.posix.normalize(target));
    expect(targets.filter((target) => !packed.has(target))).toEqual([]);
  });
});
