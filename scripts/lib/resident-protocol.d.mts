// Types of resident-protocol.mjs (plain JavaScript: the thin client loads it before any TypeScript).
import type { Socket } from "node:net";

type Env = Record<string, string | undefined>;

/** `<DATA_DIR>/resident` (0700), its socket `cli.sock` (0600) and the server's own log `server.log`. */
export function residentPaths(env: Env, cwd: string): { dir: string; socket: string; log: string };
/** sha256 (hex) of the store a process works on (DATABASE_URL or the embedded data folder and port) and its cwd. */
export function storeIdentity(env: Env, cwd: string): string;
/** The `build-…` folder of a bundle file (path or URL), or null outside a bundle. */
export function buildIdOf(file: string): string | null;
export type Frame = Record<string, unknown>;
/** Calls `onFrame` with each JSON line the socket sends (a line that is not JSON closes it). */
export function readFrames(socket: Socket, onFrame: (frame: Frame) => void): void;
/** Writes one frame (a JSON line), unless the socket is gone. */
export function sendFrame(socket: Socket, frame: Frame): void;
