// The API endpoints the network bot judges: the configured ones, the standard ones a preset names
// (judged only where the target really serves them), and the ones the target's own pages use
// (referenced by their scripts, or requested by the browser while loading them).
import { z } from "zod";
import type { Target } from "../catalogue";

/** This add-on's own endpoints and Auth.js's: what any platform with the add-on serves. */
export const ADDON_ENDPOINTS = [
  "/api/admin/bots/health",
  "/api/admin/bots/logs",
  "/api/admin/bots/database",
  "/api/auth/session",
  "/api/auth/providers",
  "/api/auth/csrf",
];

/** Presets (TARGET_ENDPOINTS_PRESET). The original BV Studios platform also serves its
 * content-bot and lead-bot endpoints. A preset names candidates: one the target answers 404 to is
 * not served there and is not judged. */
export const ENDPOINT_PRESETS = {
  addon: ADDON_ENDPOINTS,
  "bv-studios": [...ADDON_ENDPOINTS, "/api/admin/bots/content", "/api/admin/bots/lead"],
  none: [],
} as const;

/** Where an endpoint came from. `configured`: TARGET_ENDPOINTS (or a run's own list); `preset`:
 * TARGET_ENDPOINTS_PRESET; `script`: a string in a same-origin script of a checked page;
 * `browser`: a request a page made while loading in Chromium; `base`: the base URL, when there is
 * no other endpoint. */
/** An API endpoint as the probe knows it; also how a finding keeps it (evidence.endpoint), so
 * that verification can judge the same endpoint again without a new crawl. */
export const apiEndpointSchema = z.object({
  url: z.url(),
  /** How it was found. */
  sources: z.array(z.enum(["configured", "preset", "script", "browser", "base"])),
  /** The pages that requested it in the browser (at most 10). */
  requestedBy: z.array(z.string()),
  /** The pages whose scripts name it (at most 10; a shared chunk names it on many pages). */
  referencedBy: z.array(z.string()),
  /** The methods the pages' requests used in the browser (empty when only referenced by a script). */
  methods: z.array(z.string()),
});
export type ApiEndpoint = z.infer<typeof apiEndpointSchema>;

/** The target's own pages use it: a 404 there is a broken feature, not a missing preset route. */
export const isReferenced = (e: ApiEndpoint) => e.sources.includes("script") || e.sources.includes("browser");
/** Someone named it on purpose: the configured list, or the base URL standing in for it. */
export const isConfigured = (e: ApiEndpoint) => e.sources.includes("configured") || e.sources.includes("base");
/** Answers to GET are meaningful: not an endpoint the pages only ever POST to. */
export const takesGet = (e: ApiEndpoint) => e.methods.length === 0 || e.methods.includes("GET");

export const isAdminEndpoint = (url: string) => /\/admin(\/|$)/.test(new URL(url).pathname);
export const isAuthEndpoint = (url: string) => new URL(url).pathname.startsWith("/api/auth/");

/** The target's own list of endpoints as ApiEndpoints. The presets are in `target.endpoints` too;
 * `target.presetEndpoints` says which. */
export function configuredEndpoints(target: Target): ApiEndpoint[] {
  const preset = new Set(target.presetEndpoints ?? []);
  return target.endpoints.map((url) => ({ url, sources: [preset.has(url) ? "preset" : "configured"], requestedBy: [], referencedBy: [], methods: [] }));
}

/** The base URL, judged as an endpoint when there is no other. */
export const baseEndpoint = (target: Target): ApiEndpoint => ({ url: target.baseUrl, sources: ["base"], requestedBy: [], referencedBy: [], methods: [] });

/** The pages that call it: those seen requesting it, else those whose scripts name it. */
export const callersOf = (e: ApiEndpoint) => (e.requestedBy.length > 0 ? e.requestedBy : e.referencedBy);

/** Merges endpoints by URL, keeping every source, page and method. */
export function mergeEndpoints(...lists: ApiEndpoint[][]): ApiEndpoint[] {
  const byUrl = new Map<string, ApiEndpoint>();
  for (const e of lists.flat()) {
    const known = byUrl.get(e.url);
    if (!known) byUrl.set(e.url, { ...e, sources: [...e.sources], requestedBy: e.requestedBy.slice(0, 10), referencedBy: e.referencedBy.slice(0, 10), methods: [...e.methods] });
    else {
      for (const s of e.sources) if (!known.sources.includes(s)) known.sources.push(s);
      for (const p of e.requestedBy) if (!known.requestedBy.includes(p) && known.requestedBy.length < 10) known.requestedBy.push(p);
      for (const p of e.referencedBy) if (!known.referencedBy.includes(p) && known.referencedBy.length < 10) known.referencedBy.push(p);
      for (const m of e.methods) if (!known.methods.includes(m)) known.methods.push(m);
    }
  }
  return [...byUrl.values()];
}

/** Whether `status` is what the endpoint should answer (configured, or: admin endpoints refuse
 * anonymous requests and serve authenticated ones; the others answer 2xx or 3xx). */
export function isExpectedStatus(target: Target, url: string, status: number, authenticated: boolean): boolean {
  const configured = target.expectedStatus?.[url];
  if (configured !== undefined) return status === configured;
  if (isAdminEndpoint(url)) return authenticated ? status >= 200 && status < 300 : status === 401 || status === 403;
  return status >= 200 && status < 400;
}
