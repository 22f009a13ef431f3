// A fake target page that really hydrates with React 19, so a browser check sees the same
// hydration error a broken production site would show, not a hand-written imitation.
import path from "node:path";
import { build } from "esbuild";
import { createElement } from "react";
import { renderToString } from "react-dom/server";

export interface HydrationFixture { html: string; script: string }

// esbuild resolves "react" from here; the fixture file sits two levels below the repo root.
const REPO_ROOT = path.resolve(import.meta.dirname, "../..");

// The server half of the component. CLIENT_ENTRY below renders the same tree; with mismatch on,
// the text depends on where it renders, which is exactly what React's hydration check catches.
function Page({ mismatch }: { mismatch: boolean }) {
  const where = mismatch ? (typeof window === "undefined" ? "server" : "client") : "both sides";
  return createElement("main", null, createElement("h1", null, "Fake target"), createElement("p", { id: "rendered-on" }, `Rendered on ${where}`));
}

const CLIENT_ENTRY = (mismatch: boolean) => `
import { createElement } from "react";
import { hydrateRoot } from "react-dom/client";
function Page({ mismatch }) {
  const where = mismatch ? (typeof window === "undefined" ? "server" : "client") : "both sides";
  return createElement("main", null, createElement("h1", null, "Fake target"), createElement("p", { id: "rendered-on" }, "Rendered on " + where));
}
hydrateRoot(document.getElementById("root"), createElement(Page, { mismatch: ${mismatch} }));
`;

// Bundling React takes a few hundred ms, so each variant is built once per process.
const bundles = new Map<boolean, Promise<string>>();

function clientBundle(mismatch: boolean): Promise<string> {
  let bundle = bundles.get(mismatch);
  if (!bundle) {
    bundle = build({
      stdin: { contents: CLIENT_ENTRY(mismatch), resolveDir: REPO_ROOT, sourcefile: "hydration-client.js", loader: "js" },
      bundle: true,
      write: false,
      format: "iife",
      platform: "browser",
      minify: true,
      // Production React, as a deployed site ships: errors arrive as "Minified React error #...".
      define: { "process.env.NODE_ENV": '"production"' },
      logLevel: "silent",
    }).then((result) => result.outputFiles[0]!.text);
    bundle.catch(() => bundles.delete(mismatch)); // a failed build is retried on the next call
    bundles.set(mismatch, bundle);
  }
  return bundle;
}

const escapeAttribute = (value: string) => value.replace(/&/g, "&amp;").replace(/"/g, "&quot;");

/** `html`: a complete page whose #root holds the server render and loads `scriptPath` deferred;
 * `script`: the bundle that hydrates #root. With `mismatch` (the default) client and server text differ. */
export async function hydrationFixture(scriptPath: string, options: { mismatch?: boolean } = {}): Promise<HydrationFixture> {
  const mismatch = options.mismatch ?? true;
  const html = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Fake target</title><script src="${escapeAttribute(scriptPath)}" defer></script></head>
<body><div id="root">${renderToString(createElement(Page, { mismatch }))}</div></body>
</html>
`;
  return { html, script: await clientBundle(mismatch) };
}
