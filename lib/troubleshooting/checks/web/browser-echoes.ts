// What the browser's messages are about, so that one cause is reported once, by the check that
// names it: a Content-Security-Policy refusal (web.csp_blocks_scripts), a script or stylesheet
// refused for its MIME type (web.failed_assets), a message that only repeats a failed request
// (web.failed_requests) or a hosting platform's own resource, and a JSON parse error that only
// repeats an API answering HTML (net.api_not_json).
import type { BrowserPage, BrowserRequest } from "../../site/browser";
import { clip, isHtmlType } from "./content";

export interface CspRefusal {
  /** What was refused: an inline script or handler, a script file (with its URL), eval. */
  what: "inline" | "script" | "eval";
  url?: string;
  /** The directive Chromium names, e.g. `script-src 'self'`. */
  directive: string;
}

const CSP = /Content Security Policy directive/;
const REPORT_ONLY = /^\s*\[Report Only\]|report-only/i;
const PREFIX = String.raw`^\s*(?:\w*Error:\s*)?`;
const INLINE = new RegExp(`${PREFIX}(?:Refused to execute|Executing) inline (?:script|event handler)`);
const LOAD = new RegExp(`${PREFIX}(?:Refused to load|Loading) the script '([^']*)'`);
const EVAL = new RegExp(`${PREFIX}(?:Refused to evaluate|Evaluating) a string as JavaScript`);

/** Any Content-Security-Policy message of Chromium's: a refusal, or a report-only violation. */
const isCspMessage = (message: string) => CSP.test(message);

/**
 * A script the policy stopped, read from Chromium's wording (current, then older):
 * `Executing inline script violates the following Content Security Policy directive 'script-src 'self''. … The action has been blocked.`
 * `Loading the script 'https://…/x.js' violates the following Content Security Policy directive: "script-src 'self'". … The action has been blocked.`
 * `Evaluating a string as JavaScript violates the following Content Security Policy directive because 'unsafe-eval' is not an allowed source of script: script-src 'self'".` (an EvalError)
 * `Refused to execute inline script because it violates the following Content Security Policy directive: "…". …`
 * `Refused to load the script '…' because it violates …`, `Refused to evaluate a string as JavaScript because …`
 * Report-only violations block nothing and are not refusals.
 */
function cspRefusal(message: string): CspRefusal | null {
  if (!CSP.test(message) || REPORT_ONLY.test(message)) return null;
  const directive = clip((/directive:?\s*"([^"]*)"/.exec(message)?.[1] ?? /directive\s*'(.*?)'\.(?:\s|$)/.exec(message)?.[1] ?? /source of script(?: in the following Content Security Policy directive)?:\s*"?([^"\n]*)/.exec(message)?.[1] ?? "").trim(), 200);
  if (INLINE.test(message)) return { what: "inline", directive };
  const load = LOAD.exec(message);
  if (load) return { what: "script", url: clip(load[1] ?? "", 300), directive };
  if (EVAL.test(message)) return { what: "eval", directive };
  return null;
}

/** `Refused to execute script from '…' because its MIME type ('text/html') is not executable…`,
 * `Refused to apply style from '…' because its MIME type … is not a supported stylesheet MIME type…`:
 * web.failed_assets reports the asset (it reads the browser's content types as well). */
const isMimeRefusal = (message: string) => /(script|style) from '[^']*' because its MIME type|MIME type \('[^']*'\) is not (executable|a supported stylesheet)/.test(message);

const PLATFORM_MESSAGE = /\/_vercel\/(insights|speed-insights)\/|\[Vercel (Web Analytics|Speed Insights)\]/;

/** A message about a hosting platform's own resource (resource-roles.ts judges the resource). */
const mentionsPlatformResource = (message: string) => PLATFORM_MESSAGE.test(message);

/** A JSON parse error as Chromium words it when a page parses HTML as JSON. */
const JSON_OF_HTML = /is not valid JSON|Unexpected token '?<'?|JSON\.parse: unexpected character/i;

/** The page's own data requests (fetch/xhr to /api/ of its origin) answered HTML or redirected. */
export function apiAnsweredHtml(page: BrowserPage): BrowserRequest[] {
  const origin = new URL(page.url).origin;
  return page.requests.filter((r) => {
    if ((r.resourceType !== "fetch" && r.resourceType !== "xhr") || !URL.canParse(r.url)) return false;
    const url = new URL(r.url);
    if (url.origin !== origin || !url.pathname.startsWith("/api/")) return false;
    return r.status !== undefined && ((r.status >= 200 && r.status < 300 && isHtmlType(r.contentType)) || (r.status >= 300 && r.status < 400));
  });
}

/** Whether a console message or page error of `page` only repeats a cause reported elsewhere. */
export function isEcho(message: string, page: BrowserPage): boolean {
  if (isCspMessage(message) || isMimeRefusal(message) || mentionsPlatformResource(message)) return true;
  const origin = new URL(page.url).origin;
  const mentioned = page.failedRequests.some((r) => message.includes(r.url) || (URL.canParse(r.url) && new URL(r.url).origin === origin && message.includes(new URL(r.url).pathname + new URL(r.url).search) && new URL(r.url).pathname.length > 1));
  if (mentioned) return true;
  // `Unexpected token '<', "<!DOCTYPE "... is not valid JSON`: HTML parsed as JSON, when the page's
  // data request answered HTML (net.api_not_json), or a script answered HTML (web.failed_assets).
  if (JSON_OF_HTML.test(message)) {
    const htmlScript = page.requests.some((r) => r.resourceType === "script" && isHtmlType(r.contentType));
    return htmlScript || apiAnsweredHtml(page).length > 0;
  }
  return false;
}

/** The scripts the page's policy refused; `own`: the page's own (inline, or a file of its origin). */
export function scriptRefusals(page: BrowserPage): { refusal: CspRefusal; own: boolean }[] {
  const origin = new URL(page.url).origin;
  return [...page.consoleErrors, ...page.pageErrors].flatMap((message) => {
    const refusal = cspRefusal(message);
    if (!refusal) return [];
    return [{ refusal, own: refusal.what === "inline" || (refusal.what === "script" && URL.canParse(refusal.url ?? "") && new URL(refusal.url as string).origin === origin) }];
  });
}

/** The page's own scripts (inline, or files of its origin) that its policy refused. */
export const ownScriptsRefused = (page: BrowserPage): CspRefusal[] => scriptRefusals(page).flatMap((r) => (r.own ? [r.refusal] : []));
