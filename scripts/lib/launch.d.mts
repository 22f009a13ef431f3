// Types of launch.mjs (plain JavaScript: it runs before anything can load TypeScript).

/** The nearest folder above `from` (default: launch.mjs's own) that holds a package.json. */
export function packageRoot(from?: string): string;

/** node_modules/.cache/troubleshooter under the package root, or TROUBLESHOOTER_BUNDLE_CACHE (a
 * bundle resolves its external packages from where it lies: elsewhere, only package-free commands run). */
export const CACHE_DIR: string;

/**
 * The esbuild bundle of `entry` (an absolute .ts path) in a folder of `cacheDir` named after it:
 * reused while every input has the size and mtime it was built from, rebuilt otherwise.
 * `file` is the bundle's entry (.mjs, absolute); `built` is true when this call built it.
 */
export function bundle(entry: string, cacheDir?: string): Promise<{ file: string; built: boolean }>;

/** The build folder (`build-…`) of `entry`'s bundle as it stands (no rebuild), or null when it must be rebuilt. */
export function currentBuild(entry: string, cacheDir?: string): Promise<string | null>;
