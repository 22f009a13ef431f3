// What an answer really is, beyond its status: a script or stylesheet answered 200 with an HTML
// page (a catch-all route or CDN fallback after a deploy), an API answered with a login page.
// Browsers judge by the content type (strictly for stylesheets, and for scripts under
// `X-Content-Type-Options: nosniff`; otherwise they run the HTML as JavaScript and throw).
import { plainText } from "../../plain-text";
import { pathOf } from "./shared";

const JAVASCRIPT = /^\s*(application|text)\/(x-)?(javascript|ecmascript|jscript|livescript)[\d.]*\s*(;|$)/i;
const CSS = /^\s*text\/css\s*(;|$)/i;
const HTML = /^\s*(text\/html|application\/xhtml\+xml)\s*(;|$)/i;
const JSON_TYPE = /^\s*application\/([\w.+-]+\+)?json\s*(;|$)/i;
/** A `<link rel="preload">` of a font, image, media, data or wasm file: html.ts reads every
 * preload that is not `as="style"`/`as="image"` as a script, so these are not judged as scripts. */
const OTHER_RESOURCE_PATH = /\.(woff2?|ttf|otf|eot|png|jpe?g|gif|webp|avif|svg|ico|json|wasm|mp4|webm|mp3|ogg|txt|xml|map)$/i;
const OTHER_RESOURCE_TYPE = /^\s*(font|image|audio|video)\/|^\s*application\/(wasm|font-|x-font|([\w.+-]+\+)?json)/i;

export const isHtmlType = (contentType: string | undefined) => contentType !== undefined && HTML.test(contentType);
export const isJsonType = (contentType: string | undefined) => contentType !== undefined && JSON_TYPE.test(contentType);

/** The body starts like an HTML document (not a fragment): doctype, <html>, <head> or <body>,
 * perhaps after a BOM, whitespace and comments. */
export function looksLikeHtmlDocument(body: string): boolean {
  return /^\uFEFF?\s*(<!--[\s\S]*?-->\s*)*<(!doctype\s+html|html[\s>]|head[\s>]|body[\s>])/i.test(body.slice(0, 4_096));
}

/** Text the target controls (a console message, a header value, a body), fit for a finding's
 * title, description or evidence: printable (plain-text.ts) and at most `max` characters. */
export function clip(text: string, max = 200): string {
  const plain = plainText(text);
  return plain.length > max ? `${plain.slice(0, max - 1)}…` : plain;
}

/** The first characters of a body, on one line, for evidence. */
export const bodyStart = (body: string) => clip(body.slice(0, 480).replace(/\s+/g, " ").trim(), 120);

/** "/a, /b, /c, /d, /e and 3 more": the pages a finding was seen on. */
/** "a, b and c"; "a, b, c, d and 2 more" */
export function listed(names: string[], max = 4): string {
  if (names.length > max) return `${names.slice(0, max).join(", ")} and ${names.length - max} more`;
  return names.length <= 1 ? (names[0] ?? "") : `${names.slice(0, -1).join(", ")} and ${names.at(-1)}`;
}

export const pagesText = (pages: string[]) => listed(pages.map(pathOf), 5);

export interface WrongContent {
  /** What it answered instead, for titles: "text/html", "an HTML page", "no content type". */
  answered: string;
  contentType: string | null;
}

/**
 * Why a script or stylesheet that answered 2xx cannot be used by the browser, or null.
 * `nosniff`: the answer carried `X-Content-Type-Options: nosniff` (unknown: undefined).
 * `body`: the start of the body, when read.
 */
export function wrongContent(kind: "script" | "stylesheet", url: string, contentType: string | undefined, options: { nosniff?: boolean; body?: string } = {}): WrongContent | null {
  const type = contentType?.trim() ? contentType.trim() : undefined;
  if (kind === "script" && (OTHER_RESOURCE_PATH.test(new URL(url).pathname) || (type !== undefined && OTHER_RESOURCE_TYPE.test(type)))) return null;
  const expected = kind === "script" ? JAVASCRIPT : CSS;
  const html = options.body !== undefined && looksLikeHtmlDocument(options.body);
  if (type === undefined) {
    if (html) return { answered: "an HTML page without a content type", contentType: null };
    // Stylesheets need text/css in standards mode; scripts only under nosniff.
    if (kind === "stylesheet" || options.nosniff) return { answered: "no content type", contentType: null };
    return null;
  }
  const label = clip(type.split(";")[0]?.trim() || type, 80);
  if (!expected.test(type)) return { answered: label, contentType: clip(type, 200) };
  if (html) return { answered: `an HTML page labelled ${label}`, contentType: clip(type, 200) };
  return null;
}

export const expectedName = (kind: "script" | "stylesheet") => (kind === "script" ? "JavaScript" : "CSS");
