// The thin client of the resident CLI server: `npm run troubleshoot -- …` hands its run to a warm
// `troubleshoot serve` process over the owner-only unix socket when one serves this store, and
// prints what it streams back (stdout, stderr, exit code) as a one-shot run would. It loads only
// node:net, node:fs and resident-protocol.mjs: no bundle, no TypeScript.
// Returns null (and prints nothing) whenever the run must go one-shot: no server, a stale socket
// (removed), a socket this user does not own alone, a server for another store, cwd or build,
// a busy server, or an interactive terminal (approval prompts read the terminal's stdin).
import { lstatSync, statSync, unlinkSync } from "node:fs";
import net from "node:net";
import { readFrames, residentPaths, sendFrame, storeIdentity } from "./resident-protocol.mjs";

/**
 * @param {string[]} argv the command's arguments (after `troubleshoot`)
 * @param {() => Promise<string | null>} currentBuild the build folder a one-shot run would load now, null when it must be rebuilt
 * @returns {Promise<number | null>} the exit code, or null: run one-shot
 */
export async function runResident(argv, currentBuild) {
  if (process.env.TROUBLESHOOT_RESIDENT === "0" || argv[0] === "serve") return null;
  if (process.stdin.isTTY && process.stderr.isTTY) return null;
  const cwd = process.cwd();
  const paths = residentPaths(process.env, cwd);
  if (!ownedAlone(paths.dir, 0o077, true) || !ownedAlone(paths.socket, 0o177, false)) return null;
  const build = await currentBuild();
  if (!build) return null;
  const socket = await connect(paths.socket);
  if (!socket) return null;
  return new Promise((resolve) => {
    let accepted = false;
    let code = null;
    let interrupts = 0;
    const onSigint = () => {
      // Ctrl-C cancels the run as in a one-shot run; a second one leaves at once.
      if (++interrupts > 1) process.exit(130);
      sendFrame(socket, { t: "signal" });
    };
    readFrames(socket, (frame) => {
      if (frame.t === "refused") socket.end();
      else if (frame.t === "accepted") {
        accepted = true;
        process.on("SIGINT", onSigint);
        // Secrets go over the owner-only socket only, and only to a server that accepted this store.
        sendFrame(socket, { t: "start", argv, env: { ...process.env }, stderrTTY: Boolean(process.stderr.isTTY) });
      } else if (frame.t === "out" && typeof frame.d === "string") process.stdout.write(frame.d);
      else if (frame.t === "err" && typeof frame.d === "string") process.stderr.write(frame.d);
      else if (frame.t === "exit" && typeof frame.code === "number") {
        code = frame.code;
        socket.end();
      }
    });
    socket.on("error", () => {});
    socket.on("close", () => {
      process.removeListener("SIGINT", onSigint);
      if (!accepted) return resolve(null);
      if (code === null) {
        process.stderr.write("[troubleshoot] the resident server went away during the run\n");
        code = 1;
      }
      resolve(code);
    });
    sendFrame(socket, { t: "hello", identity: storeIdentity(process.env, cwd), build, cwd });
  });
}

/** True when `file` exists, belongs to this user and grants nothing to anyone else (`forbidden` bits clear). */
function ownedAlone(file, forbidden, directory) {
  try {
    const info = directory ? statSync(file) : lstatSync(file);
    if (directory ? !info.isDirectory() : !info.isSocket()) return false;
    return info.uid === process.getuid?.() && (info.mode & forbidden) === 0;
  } catch {
    return false;
  }
}

/** The connected socket, or null; a socket file nobody listens on (a dead server's) is removed. */
function connect(file) {
  return new Promise((resolve) => {
    const socket = net.connect(file);
    socket.once("connect", () => resolve(socket));
    socket.once("error", (err) => {
      if (err && err.code === "ECONNREFUSED") {
        try {
          unlinkSync(file);
        } catch {
          // already gone
        }
      }
      resolve(null);
    });
  });
}
