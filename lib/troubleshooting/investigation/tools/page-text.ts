// The readable part of a page for the model: its <title> and its visible text (no scripts, styles
// or templates), whitespace collapsed, read with the same HTML parser as the crawler.
import { Parser } from "htmlparser2";

const HIDDEN = new Set(["script", "style", "noscript", "template", "svg", "head"]);

export function pageText(html: string, max: number): { title: string | null; text: string } {
  let title = "";
  let inTitle = false;
  let hidden = 0;
  const parts: string[] = [];
  let length = 0;
  const parser = new Parser(
    {
      onopentag(name) {
        if (name === "title") inTitle = true;
        else if (HIDDEN.has(name)) hidden++;
      },
      onclosetag(name) {
        if (name === "title") inTitle = false;
        else if (HIDDEN.has(name)) hidden = Math.max(0, hidden - 1);
      },
      ontext(text) {
        if (inTitle) title += text;
        else if (hidden === 0 && length <= max) {
          parts.push(text);
          length += text.length;
        }
      },
    },
    { decodeEntities: true },
  );
  parser.write(html);
  parser.end();
  const text = parts.join(" ").replace(/\s+/g, " ").trim();
  const cleanTitle = title.replace(/\s+/g, " ").trim();
  return { title: cleanTitle ? cleanTitle.slice(0, 200) : null, text: text.length > max ? `${text.slice(0, max)}…` : text };
}
