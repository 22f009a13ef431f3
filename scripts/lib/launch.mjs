#!/usr/bin/env node
// `node scripts/lib/launch.mjs <command.ts> [args...]`: runs a TypeScript command (npm run
// troubleshoot, npm run worker) from a cached esbuild bundle under
// node_modules/.cache/troubleshooter/, with plain node. Loading lib/ through tsx's loader hooks cost
// about 2 s a start (every file transformed, every time); the bundle is rebuilt only when one of its
// inputs (esbuild's metafile lists them) changed size or mtime, or is gone.
//
// Plain JavaScript on purpose: it must run before anything can load TypeScript.
// The bundle splits code, so a lazy `await import()` (next-auth, the LLM client) stays a chunk
// that is loaded only when the code asks for it. Packages stay external (resolved at run time from
// the cache folder, inside this package's node_modules), except BUNDLED_PACKAGES and whatever they
// import: node loads those as hundreds of small ESM files (about 0.3 s a start).
// Stack traces point into the bundle; NODE_OPTIONS=--enable-source-maps maps them to the sources
// (off by default: reading the maps costs a start what the bundle saved).
import { existsSync, readFileSync } from "node:fs";
import { createRequire, isBuiltin } from "node:module";
import { mkdir, readdir, rename, rm, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { pathToFileURL } from "node:url";

/** The package root: the nearest folder above this file that holds a package.json. */
export function packageRoot(from = import.meta.dirname) {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, "package.json"))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`no package.json above ${from}`);
  }
}

export const ROOT = packageRoot();
/** Where bundles live. TROUBLESHOOTER_BUNDLE_CACHE moves it, for commands that import no package:
 * a bundle resolves its external packages from where it lies, so it must lie under the package's
 * node_modules to find them. */
export const CACHE_DIR = process.env.TROUBLESHOOTER_BUNDLE_CACHE ?? path.join(ROOT, "node_modules/.cache/troubleshooter");

/** Packages bundled in with everything they import (the rest stays external). Pure JavaScript
 * that reads no file of its own, so it runs the same from the bundle. */
const BUNDLED_PACKAGES = ["zod", "@langchain/", "langsmith"];
const bundledPackage = (spec) => BUNDLED_PACKAGES.some((p) => (p.endsWith("/") ? spec.startsWith(p) : spec === p || spec.startsWith(`${p}/`)));

/**
 * Makes a bare import external unless it names a BUNDLED_PACKAGES entry or comes from inside one
 * (bundled too: resolved from the importer's place, a nested node_modules included, at build time).
 * @type {import("esbuild").Plugin}
 */
const externals = {
  name: "troubleshooter-externals",
  setup(build) {
    build.onResolve({ filter: /^[^./]/ }, (args) => {
      if (args.kind === "entry-point" || args.path.startsWith("@/") || isBuiltin(args.path)) return undefined;
      const insideBundled = /[\\/]node_modules[\\/]/.test(args.importer) && !/[\\/]node_modules[\\/]\.cache[\\/]/.test(args.importer);
      if (bundledPackage(args.path) || insideBundled) return undefined;
      return { path: args.path, external: true };
    });
  },
};

/** Bumped when the manifest's meaning changes (2: the launcher itself is an input; 3: and INSTALLED). */
const MANIFEST_FORMAT = 3;
/** npm's list of the installed packages (rewritten by every npm install). */
const INSTALLED = path.join(ROOT, "node_modules/.package-lock.json");

/** The installed esbuild's version, read without loading it (about 30 ms). */
function esbuildVersion() {
  return JSON.parse(readFileSync(createRequire(import.meta.url).resolve("esbuild/package.json"), "utf8")).version;
}

/**
 * @typedef {{ format: number, esbuild: string, entry: string, out: string, inputs: Record<string, [number, number]> }} Manifest
 * `out`: the entry's bundle, relative to the command's cache folder; `inputs`: absolute path ->
 * [mtimeMs, size] of every source file esbuild read.
 */

/**
 * The bundle of `entry` (an absolute .ts path), built or rebuilt when needed, in a folder of
 * `cacheDir` named after the entry.
 * @param {string} entry
 * @param {string} [cacheDir]
 * @returns {Promise<{ file: string, built: boolean }>} the bundle's absolute path; `built` when this call built it
 */
export async function bundle(entry, cacheDir = CACHE_DIR) {
  const { dir, manifestFile } = bundlePaths(entry, cacheDir);
  const current = readManifest(manifestFile);
  if (current && current.format === MANIFEST_FORMAT && current.esbuild === esbuildVersion() && current.entry === entry && (await unchanged(current.inputs))) {
    return { file: path.join(dir, current.out), built: false };
  }
  const esbuild = await import("esbuild");
  // Each build goes to a folder of its own and the manifest is swapped in by rename: a command
  // started meanwhile (tests run several at once) keeps reading a complete bundle.
  const id = `build-${Date.now().toString(36)}-${process.pid}`;
  const outdir = path.join(dir, id);
  await mkdir(outdir, { recursive: true });
  const result = await esbuild.build({
    entryPoints: { main: entry },
    absWorkingDir: ROOT,
    outdir,
    bundle: true,
    splitting: true,
    format: "esm",
    platform: "node",
    target: `node${process.versions.node}`,
    plugins: [externals],
    // Bundled CommonJS (langsmith's dependencies) may call require(); ESM has none of its own.
    banner: { js: 'import { createRequire as __launchRequire } from "node:module"; const require = __launchRequire(import.meta.url);' },
    outExtension: { ".js": ".mjs" },
    chunkNames: "chunks/[name]-[hash]",
    sourcemap: "linked",
    metafile: true,
    logLevel: "error",
    tsconfig: path.join(ROOT, "tsconfig.json"),
  });
  const inputs = {};
  // The launcher is an input too: a change of how it bundles must rebuild.
  // npm's record of what it installed changes with every install: a package update rebuilds too
  // (and tells the resident client, which stats only this and the sources, that its server is old).
  const installed = [INSTALLED].filter((file) => existsSync(file));
  await Promise.all(
    [import.meta.filename, ...installed, ...Object.keys(result.metafile.inputs)].map(async (input) => {
      const file = path.resolve(ROOT, input);
      const info = await stat(file);
      inputs[file] = [info.mtimeMs, info.size];
    }),
  );
  /** @type {Manifest} */
  const manifest = { format: MANIFEST_FORMAT, esbuild: esbuild.version, entry, out: path.join(id, "main.mjs"), inputs };
  const temporary = `${manifestFile}.${process.pid}`;
  await writeFile(temporary, JSON.stringify(manifest));
  await rename(temporary, manifestFile);
  await removeOldBuilds(dir, id);
  return { file: path.join(dir, manifest.out), built: true };
}

/** The command's cache folder and its manifest. */
function bundlePaths(entry, cacheDir) {
  const name = path.relative(ROOT, entry).replace(/\.[cm]?ts$/, "").replaceAll(/[^\w.-]+/g, "_").replace(/^[._]+/, "");
  const dir = path.join(cacheDir, name);
  return { dir, manifestFile: path.join(dir, "manifest.json") };
}

/**
 * The build folder (`build-…`) `bundle(entry)` would load now without rebuilding, or null when it
 * must be rebuilt. Skips esbuild's version (30 ms): the resident client asks it on every run.
 * Stats the sources and INSTALLED only (see below).
 * @param {string} entry
 * @param {string} [cacheDir]
 * @returns {Promise<string | null>}
 */
export async function currentBuild(entry, cacheDir = CACHE_DIR) {
  const current = readManifest(bundlePaths(entry, cacheDir).manifestFile);
  if (!current || current.format !== MANIFEST_FORMAT || current.entry !== entry) return null;
  // The sources and INSTALLED (about 230 files, not the 1,100 a build reads): a package changes
  // only with an install, which INSTALLED records. About 10 ms instead of 30.
  const watched = Object.fromEntries(Object.entries(current.inputs).filter(([file]) => file === INSTALLED || !/[\\/]node_modules[\\/]/.test(file)));
  return (await unchanged(watched)) ? path.dirname(current.out) : null;
}

/** @returns {Manifest | null} */
function readManifest(file) {
  try {
    return JSON.parse(readFileSync(file, "utf8"));
  } catch {
    return null;
  }
}

/** True when every input still has the size and mtime it had when the bundle was built. */
async function unchanged(inputs) {
  const checks = await Promise.all(
    Object.entries(inputs).map(([file, [mtimeMs, size]]) =>
      stat(file).then((info) => info.mtimeMs === mtimeMs && info.size === size, () => false),
    ),
  );
  return checks.every(Boolean);
}

/** Older builds of the command, except those younger than a minute (a command may be loading one). */
async function removeOldBuilds(dir, keep) {
  const entries = await readdir(dir, { withFileTypes: true });
  await Promise.all(
    entries
      .filter((e) => e.isDirectory() && e.name.startsWith("build-") && e.name !== keep)
      .map(async (e) => {
        const folder = path.join(dir, e.name);
        const info = await stat(folder).catch(() => null);
        if (info && Date.now() - info.mtimeMs > 60_000) await rm(folder, { recursive: true, force: true });
      }),
  );
}

/**
 * Runs the command `target` (a .ts file; relative: to the package root) with `args`, as if node
 * had been given it (process.argv[1] is the .ts): from its bundle, or, for scripts/troubleshoot.ts,
 * through the resident server when one serves this store.
 * @param {string} target
 * @param {string[]} args
 */
export async function runCommand(target, args) {
  const entry = path.resolve(ROOT, target);
  // `npm run troubleshoot`: a resident server (`troubleshoot serve`) runs it warm when one serves
  // this store; otherwise (null) it runs here, one-shot, as always.
  const resident = path.relative(ROOT, entry) === path.join("scripts", "troubleshoot.ts") ? await (await import("./resident-client.mjs")).runResident(args, () => currentBuild(entry)) : null;
  if (resident !== null) process.exitCode = resident;
  else {
    const { file } = await bundle(entry);
    process.argv = [process.argv[0], entry, ...args];
    // The resident server starts its run workers from the same bundle.
    process.env.TROUBLESHOOTER_BUNDLE_FILE = file;
    await import(pathToFileURL(file).href);
  }
}

// Run as a command: `node scripts/lib/launch.mjs <command.ts> [args...]`.
if (process.argv[1] && path.resolve(process.argv[1]) === import.meta.filename) {
  const [target, ...args] = process.argv.slice(2);
  if (!target) {
    process.stderr.write("usage: node scripts/lib/launch.mjs <command.ts> [args...]\n");
    process.exit(2);
  }
  await runCommand(target, args);
}
