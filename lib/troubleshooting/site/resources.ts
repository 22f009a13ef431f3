// The assets the pages load and the same-origin links they point to, each requested once.
import pLimit from "p-limit";
import { describeHttpError } from "../probes/http";
import type { PageSnapshot } from "./crawl";
import type { Fetcher } from "./fetcher";
import type { AssetKind } from "./html";
import { apiPathsIn } from "./api-refs";

const MAX_ASSETS = 150;
const MAX_LINKS = 60;
/** Bounds one asset's or link's request, body included: an answer that never ends (a hostile or
 * broken stream) is that asset's failure ("timed out"), not a stall of every check that reads
 * the assets. */
const RESOURCE_TIMEOUT_MS = 8_000;

export interface AssetSnapshot {
  url: string;
  kind: AssetKind;
  status?: number;
  error?: string;
  bytes: number;
  headers: Record<string, string>;
  /** The pages that reference it. */
  pages: string[];
  /** `/api/...` paths a same-origin script names (api-refs.ts). */
  apiPaths: string[];
  /** The first KiB of a same-origin script's or stylesheet's body, when it answered 2xx: what it
   * really is (a catch-all may answer a chunk with its HTML page). */
  bodyStart?: string;
}

export interface LinkSnapshot {
  url: string;
  status?: number;
  error?: string;
  /** The pages that link to it. */
  from: string[];
}

export async function fetchAssets(fetcher: Fetcher, pages: PageSnapshot[]): Promise<AssetSnapshot[]> {
  const refs = new Map<string, { kind: AssetKind; pages: string[] }>();
  for (const page of pages) {
    for (const asset of page.refs.assets) {
      const entry = refs.get(asset.url) ?? { kind: asset.kind, pages: [] };
      entry.pages.push(page.url);
      refs.set(asset.url, entry);
    }
  }
  const limit = pLimit(6);
  return Promise.all(
    [...refs].slice(0, MAX_ASSETS).map(([url, { kind, pages: on }]) =>
      limit(async (): Promise<AssetSnapshot> => {
        try {
          const res = await fetcher.get(url, { timeoutMs: RESOURCE_TIMEOUT_MS });
          const own = new URL(url).origin === new URL(on[0] ?? url).origin && res.status >= 200 && res.status < 300;
          const code = own && (kind === "script" || kind === "stylesheet");
          return {
            url, kind, status: res.status, bytes: res.bytes, headers: res.headers, pages: on,
            apiPaths: own && kind === "script" ? apiPathsIn(res.body) : [],
            ...(code ? { bodyStart: res.body.slice(0, 1_024) } : {}),
          };
        } catch (err) {
          return { url, kind, error: describeHttpError(err), bytes: 0, headers: {}, pages: on, apiPaths: [] };
        }
      }),
    ),
  );
}

/** Same-origin links of the pages; those that were crawled keep the crawl's answer. */
export async function checkLinks(fetcher: Fetcher, pages: PageSnapshot[], origin: string): Promise<LinkSnapshot[]> {
  const crawled = new Map(pages.map((p) => [p.url, p]));
  const from = new Map<string, string[]>();
  for (const page of pages) {
    for (const link of page.refs.links) {
      if (new URL(link).origin !== origin) continue;
      from.set(link, [...(from.get(link) ?? []), page.url]);
    }
  }
  const limit = pLimit(6);
  return Promise.all(
    [...from].slice(0, MAX_LINKS).map(([url, sources]) =>
      limit(async (): Promise<LinkSnapshot> => {
        const page = crawled.get(url);
        if (page) return { url, status: page.status, error: page.error, from: sources };
        try {
          return { url, status: (await fetcher.get(url, { readBody: false, timeoutMs: RESOURCE_TIMEOUT_MS })).status, from: sources };
        } catch (err) {
          return { url, error: describeHttpError(err), from: sources };
        }
      }),
    ),
  );
}
