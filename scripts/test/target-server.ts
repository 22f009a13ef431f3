// A loopback HTTP server standing in for the platform under diagnosis, with faults to inject.
import http from "node:http";
import type { AddressInfo } from "node:net";

/** A properly configured site sends these (the web bot reports their absence). */
const SECURITY_HEADERS = {
  "content-security-policy": "default-src 'self'; frame-ancestors 'none'",
  "x-content-type-options": "nosniff",
  "referrer-policy": "no-referrer",
};

export interface TargetBehaviour {
  status: number;
  delayMs: number;
  body: string;
}

export interface TargetServer {
  url: string;
  behaviour: TargetBehaviour;
  requests: number;
  close(): Promise<void>;
}

export async function startTargetServer(initial: Partial<TargetBehaviour> = {}): Promise<TargetServer> {
  const state: TargetServer = {
    url: "",
    behaviour: { status: 200, delayMs: 0, body: "<!doctype html><title>target</title><p>ok</p>", ...initial },
    requests: 0,
    close: async () => {},
  };
  const server = http.createServer((req, res) => {
    state.requests++;
    const { status, delayMs, body } = state.behaviour;
    setTimeout(() => res.writeHead(status, { "content-type": "text/html", ...SECURITY_HEADERS }).end(body), delayMs);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  state.close = () => new Promise((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });
  return state;
}
