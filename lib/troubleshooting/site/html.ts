// What a page links to and loads, read from its HTML with a real parser (htmlparser2).
import { Parser } from "htmlparser2";

export type AssetKind = "script" | "stylesheet" | "image" | "iframe" | "other";

interface AssetRef {
  url: string;
  kind: AssetKind;
}

export interface PageRefs {
  /** Absolute URLs of <a href> links (fragments dropped). */
  links: string[];
  assets: AssetRef[];
}

export function readPageRefs(html: string, pageUrl: string): PageRefs {
  const links = new Set<string>();
  const assets = new Map<string, AssetKind>();
  const resolve = (raw: string | undefined): string | null => {
    if (!raw || /^(data|javascript|mailto|tel|blob):/i.test(raw.trim())) return null;
    try {
      const url = new URL(raw.trim(), pageUrl);
      url.hash = "";
      return url.toString();
    } catch {
      return null;
    }
  };
  const addAsset = (raw: string | undefined, kind: AssetKind) => {
    const url = resolve(raw);
    if (url && !assets.has(url)) assets.set(url, kind);
  };
  const parser = new Parser({
    onopentag(name, attrs) {
      const rel = (attrs.rel ?? "").toLowerCase().split(/\s+/);
      if (name === "a") {
        const url = resolve(attrs.href);
        if (url) links.add(url);
      } else if (name === "script") addAsset(attrs.src, "script");
      else if (name === "link" && rel.includes("stylesheet")) addAsset(attrs.href, "stylesheet");
      else if (name === "link" && (rel.includes("preload") || rel.includes("modulepreload"))) addAsset(attrs.href, attrs.as === "style" ? "stylesheet" : attrs.as === "image" ? "image" : "script");
      else if (name === "img") addAsset(attrs.src, "image");
      else if (name === "iframe") addAsset(attrs.src, "iframe");
      else if ((name === "source" || name === "video" || name === "audio") && attrs.src) addAsset(attrs.src, "other");
    },
  });
  parser.write(html);
  parser.end();
  return { links: [...links], assets: [...assets].map(([url, kind]) => ({ url, kind })) };
}
