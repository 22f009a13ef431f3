// Hostile fixtures for the browser and the crawl: servers that record every request they get
// (path and headers, and whether Chromium sent it), answering from a small route table. A target
// page built from them navigates, redirects to other origins and to refused addresses, and loads
// more than any page should; a "sink" on another origin shows what leaked to it.
import http from "node:http";
import https from "node:https";
import type { AddressInfo } from "node:net";
import type { Duplex } from "node:stream";
import { afterAll } from "vitest";
import type { Pem } from "./certificates";

export interface Seen {
  path: string;
  method: string;
  headers: http.IncomingHttpHeaders;
  /** Sent by headless Chromium (not by the prober's own HTTP client). */
  chromium: boolean;
}

/** Answers one request; `path` is the URL's pathname. Unknown paths: return false for a 404. */
export type Handler = (path: string, req: http.IncomingMessage, res: http.ServerResponse) => boolean | void;

export interface RecordingServer {
  /** The origin, e.g. http://localhost:41234 (host as asked). */
  url: string;
  port: number;
  seen: Seen[];
  /** Body bytes written so far by `stream` answers to `path` (what a heavy answer really sent). */
  streamedBytes: (path: string) => number;
  close(): Promise<void>;
}

/** Recording servers for a vitest file: `start` them in tests; all are closed after the file. */
export function recordersPerFile(): (...args: Parameters<typeof startRecorder>) => Promise<RecordingServer> {
  const servers: RecordingServer[] = [];
  afterAll(async () => {
    await Promise.all(servers.splice(0).map((s) => s.close()));
  });
  return async (...args) => {
    const server = await startRecorder(...args);
    servers.push(server);
    return server;
  };
}

export interface ServerOptions {
  /** Address to listen on (default 127.0.0.1; 0.0.0.0 for a refused-address sink). */
  listen?: string;
  /** The host name in `url` (default localhost). */
  host?: string;
  /** Serve https with this certificate. */
  tls?: Pem;
}

/** The byte counter of the server each answer belongs to. */
const streamed = new WeakMap<http.ServerResponse, Map<string, number>>();

/** A recording server; every request is kept in `seen` before `handler` answers it. */
export async function startRecorder(handler: Handler, options: ServerOptions = {}): Promise<RecordingServer> {
  const seen: Seen[] = [];
  const counter = new Map<string, number>();
  const listener = (req: http.IncomingMessage, res: http.ServerResponse) => {
    const path = new URL(req.url ?? "/", "http://x").pathname;
    seen.push({ path, method: req.method ?? "GET", headers: req.headers, chromium: req.headers["user-agent"]?.includes("HeadlessChrome") ?? false });
    streamed.set(res, counter);
    if (handler(path, req, res) === false) res.writeHead(404, { "content-type": "text/plain" }).end("not found");
  };
  const server = options.tls ? https.createServer({ cert: options.tls.cert, key: options.tls.key }, listener) : http.createServer(listener);
  // A WebSocket handshake is not a request event: record it, then hang up.
  server.on("upgrade", (req: http.IncomingMessage, socket: Duplex) => {
    seen.push({ path: new URL(req.url ?? "/", "http://x").pathname, method: "UPGRADE", headers: req.headers, chromium: req.headers["user-agent"]?.includes("HeadlessChrome") ?? false });
    socket.destroy();
  });
  const port = await new Promise<number>((resolve) => server.listen(0, options.listen ?? "127.0.0.1", () => resolve((server.address() as AddressInfo).port)));
  return {
    url: `${options.tls ? "https" : "http"}://${options.host ?? "localhost"}:${port}`,
    port,
    seen,
    streamedBytes: (path) => counter.get(path) ?? 0,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A small valid HTML page around `body`. */
export const hostilePage = (body: string) =>
  `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>hostile</title><link rel="icon" href="data:,"></head><body>${body}</body></html>`;

export function html(res: http.ServerResponse, body: string, status = 200): true {
  res.writeHead(status, { "content-type": "text/html; charset=utf-8" }).end(hostilePage(body));
  return true;
}

export function redirect(res: http.ServerResponse, location: string, status = 302): true {
  res.writeHead(status, { location }).end();
  return true;
}

/** Streams `bytes` bytes of `contentType` (never held in memory: written chunk by chunk as the
 * client reads), counted in the server's `streamedBytes`; stops when the client goes away. */
export function stream(res: http.ServerResponse, bytes: number, contentType = "application/octet-stream"): true {
  const counter = streamed.get(res) ?? new Map<string, number>();
  const path = new URL(res.req.url ?? "/", "http://x").pathname;
  const chunk = Buffer.alloc(64 * 1024, 0x61);
  res.writeHead(200, { "content-type": contentType, "content-length": String(bytes), "cache-control": "no-store" });
  let left = bytes;
  const pump = () => {
    while (left > 0 && !res.destroyed) {
      const part = left >= chunk.byteLength ? chunk : chunk.subarray(0, left);
      left -= part.byteLength;
      counter.set(path, (counter.get(path) ?? 0) + part.byteLength);
      if (!res.write(part)) return void res.once("drain", pump);
    }
    if (left <= 0) res.end();
  };
  res.on("close", () => (left = 0));
  pump();
  return true;
}
