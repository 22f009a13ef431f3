// What the resident CLI server (`npm run troubleshoot -- serve`, scripts/cli/serve.ts) and its thin
// client (scripts/lib/resident-client.mjs) share: where the socket lies, which store a process
// works on, and the frames they exchange. Plain JavaScript: the client loads it before anything
// can load TypeScript, and it must stay small (node:crypto, node:path only).
import { createHash } from "node:crypto";
import path from "node:path";

/** The embedded store's default port (scripts/lib/local-database.ts). */
const DEFAULT_PORT = "5433";

/**
 * The folder (0700) and the unix socket (0600) of the resident server for the store `env` names:
 * `<DATA_DIR>/resident/cli.sock`, DATA_DIR (default `.data`) resolved against `cwd`.
 * @param {Record<string, string | undefined>} env
 * @param {string} cwd
 */
export function residentPaths(env, cwd) {
  const dir = path.join(path.resolve(cwd, env.DATA_DIR || ".data"), "resident");
  return { dir, socket: path.join(dir, "cli.sock"), log: path.join(dir, "server.log") };
}

/**
 * Which store (and working directory) a process works on, as a hash: DATABASE_URL (or the
 * embedded server's data folder and port) and cwd. A client whose identity differs from the
 * server's runs one-shot. Hashed so that the URL's password never goes in a frame.
 * @param {Record<string, string | undefined>} env
 * @param {string} cwd
 */
export function storeIdentity(env, cwd) {
  const parts = [env.DATABASE_URL ?? "", path.resolve(cwd, env.DATA_DIR || ".data"), env.EMBEDDED_PG_PORT || DEFAULT_PORT, cwd];
  return createHash("sha256").update(JSON.stringify(parts)).digest("hex");
}

/** The build folder (`build-…`) of a bundle's file path or URL, or null outside a bundle. */
export function buildIdOf(file) {
  return /[\\/](build-[\w-]+)[\\/]/.exec(String(file))?.[1] ?? null;
}

/**
 * Frames are JSON objects, one a line. Client -> server: {t:"hello", identity, build, cwd}, then
 * {t:"start", argv, env, stderrTTY} once accepted, {t:"signal"} (Ctrl-C); or {t:"stop"}.
 * Server -> client: {t:"accepted"} | {t:"refused", reason}, then {t:"out"|"err", d} (text) and
 * {t:"exit", code}.
 * @param {import("node:net").Socket} socket
 * @param {(frame: Record<string, unknown>) => void} onFrame
 */
export function readFrames(socket, onFrame) {
  let buffer = "";
  socket.setEncoding("utf8");
  socket.on("data", (chunk) => {
    buffer += chunk;
    for (let end = buffer.indexOf("\n"); end >= 0; end = buffer.indexOf("\n")) {
      const line = buffer.slice(0, end);
      buffer = buffer.slice(end + 1);
      let frame;
      try {
        frame = JSON.parse(line);
      } catch {
        socket.destroy();
        return;
      }
      if (frame && typeof frame === "object") onFrame(frame);
    }
  });
}

/** @param {import("node:net").Socket} socket @param {Record<string, unknown>} frame */
export function sendFrame(socket, frame) {
  if (!socket.destroyed) socket.write(`${JSON.stringify(frame)}\n`);
}
