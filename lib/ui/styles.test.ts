// The add-on's stylesheet ships compiled and scoped (issue 17): the committed lib/ui/troubleshooter.css
// is what `npm run build:styles` makes of today's sources, nothing in it reaches outside the
// add-on's root `.troubleshooter`, and the UI's class names all carry the `tr` prefix that file
// was compiled for.
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { __unstable__loadDesignSystem } from "@tailwindcss/node";
import postcss, { type AtRule } from "postcss";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { buildStyles, OUTPUT_CSS } from "../../scripts/build-styles";

const UI_DIR = import.meta.dirname;

async function tsxFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile() && e.name.endsWith(".tsx")).map((e) => path.join(e.parentPath, e.name));
}

/** Each string (or template part) of a .tsx file, and whether it sits in a className attribute. */
function strings(file: string, text: string): { text: string; inClassName: boolean; line: number }[] {
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TSX);
  const out: { text: string; inClassName: boolean; line: number }[] = [];
  const attributeOf = (node: ts.Node): string | null => {
    for (let p: ts.Node | undefined = node.parent; p && !ts.isJsxElement(p) && !ts.isJsxSelfClosingElement(p); p = p.parent) if (ts.isJsxAttribute(p)) return p.name.getText();
    return null;
  };
  const visit = (node: ts.Node) => {
    if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node) || ts.isTemplateHead(node) || ts.isTemplateMiddle(node) || ts.isTemplateTail(node)) {
      const attribute = attributeOf(node);
      const skip = ts.isImportDeclaration(node.parent) || ts.isLiteralTypeNode(node.parent) || (attribute !== null && attribute !== "className");
      if (!skip) out.push({ text: node.text, inClassName: attribute === "className", line: sf.getLineAndCharacterOfPosition(node.getStart()).line + 1 });
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return out;
}

describe("lib/ui/troubleshooter.css", () => {
  it("is what `npm run build:styles` builds from the current sources", async () => {
    const [committed, fresh] = await Promise.all([readFile(OUTPUT_CSS, "utf8").catch(() => ""), buildStyles()]);
    expect(committed === fresh, "lib/ui/troubleshooter.css is stale: run `npm run build:styles` and commit it").toBe(true);
  });

  it("keeps every selector under .troubleshooter, with no layers, registrations or shared animation names", async () => {
    const root = postcss.parse(await readFile(OUTPUT_CSS, "utf8"));
    const unscoped: string[] = [];
    root.walkRules((rule) => {
      if (rule.parent?.type === "atrule" && /keyframes$/.test((rule.parent as AtRule).name)) return;
      for (const selector of rule.selectors) if (!/^\.troubleshooter(?![\w-])/.test(selector)) unscoped.push(selector);
    });
    expect(unscoped).toEqual([]);
    const atRules: string[] = [];
    root.walkAtRules((rule) => void atRules.push(rule.name));
    expect(atRules).not.toContain("layer"); // a host's unlayered rules would beat any layered ones
    expect(atRules).not.toContain("property"); // document-wide registrations
    root.walkAtRules(/keyframes$/, (rule) => expect(rule.params).toMatch(/^tr-/));
    // The classes the pages need are there, dark mode follows the system.
    const css = root.toString();
    for (const selector of [".troubleshooter .tr-card", ".troubleshooter .tr\\:flex", ".troubleshooter .tr\\:dark\\:bg-slate-900"]) expect(css).toContain(selector);
    expect(css).toContain("@media (prefers-color-scheme: dark)");
  });
});

describe("class names in lib/ui/**/*.tsx", () => {
  it("all carry the tr prefix (tr:utility, tr-component)", async () => {
    // An unprefixed Tailwind class anywhere (className attributes and class maps alike) would get
    // no style from the add-on's stylesheet, and whatever style a host gives that name.
    const tailwind = await __unstable__loadDesignSystem('@import "tailwindcss";', { base: UI_DIR });
    const isUtility = (token: string) => tailwind.candidatesToCss([token])[0] != null;
    // The component classes' names before the prefix (app/globals.css used to define them).
    const OLD_COMPONENTS = new Set(["card", "card-title", "muted", "btn", "btn-primary", "field", "table-head"]);
    const classLike = (token: string) => /^tr[:-]/.test(token) || isUtility(token) || OLD_COMPONENTS.has(token);
    const offenders: string[] = [];
    for (const file of await tsxFiles(UI_DIR)) {
      for (const s of strings(file, await readFile(file, "utf8"))) {
        const tokens = s.text.split(/\s+/).filter(Boolean);
        const classList = s.inClassName || (tokens.length > 0 && tokens.every(classLike));
        if (!classList) continue;
        for (const token of tokens) if (token !== "troubleshooter" && !/^tr[:-]/.test(token)) offenders.push(`${path.relative(UI_DIR, file)}:${s.line} ${token}`);
      }
    }
    expect(offenders).toEqual([]);
  });
});
