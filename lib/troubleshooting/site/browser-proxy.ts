// Chromium's only way out: a loopback HTTP proxy that applies the probes' address policy to every
// connection the browser opens. The request router (browser-route.ts) sees each request first,
// but Playwright does not route the redirects Chromium follows, nor WebSockets, nor connections
// opened ahead (preconnect): those reach the network here, and a refused address is refused here.
// The proxy resolves the host itself and connects to the address it checked, so a second DNS
// answer cannot swap in a refused one. https and wss pass as CONNECT tunnels (TLS stays end to end).
import http from "node:http";
import net from "node:net";
import type { Duplex } from "node:stream";
import { resolveAllowed } from "../probes/address-policy";

export interface PolicyProxy {
  /** For Chromium's `proxy.server`: http://127.0.0.1:PORT */
  server: string;
  close(): Promise<void>;
}

/** An idle tunnel or request is dropped after this long (a page's loads are bounded far below). */
const IDLE_MS = 30_000;

/** Starts the proxy on loopback; refusals are added to `refused` (at most 50 kept). */
export async function startPolicyProxy(refused: { url: string; reason: string }[]): Promise<PolicyProxy> {
  const refuse = (url: string, err: unknown) => {
    if (refused.length < 50) refused.push({ url, reason: err instanceof Error ? err.message : "refused" });
  };
  const sockets = new Set<net.Socket | Duplex>();
  const track = <T extends net.Socket | Duplex>(socket: T): T => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    socket.on("error", () => socket.destroy());
    return socket;
  };

  const server = http.createServer((req, res) => {
    // Plain http: Chromium sends the absolute URL.
    let url: URL;
    try {
      url = new URL(req.url ?? "");
    } catch {
      return void res.writeHead(400).end();
    }
    resolveAllowed(url.hostname).then(
      (addresses) => {
        const upstream = http.request(
          { host: url.hostname.replace(/^\[|\]$/g, ""), lookup: checked(addresses), port: url.port || 80, path: url.pathname + url.search, method: req.method, headers: withoutProxyHeaders(req.headers), setHost: false, agent: false, timeout: IDLE_MS },
          (answer) => {
            res.writeHead(answer.statusCode ?? 502, answer.rawHeaders);
            answer.pipe(res);
          },
        );
        upstream.on("timeout", () => upstream.destroy());
        upstream.on("error", () => (res.headersSent ? res.destroy() : res.writeHead(502).end()));
        res.on("close", () => upstream.destroy());
        req.pipe(upstream);
      },
      (err: unknown) => {
        refuse(url.toString(), err);
        res.writeHead(403, { "content-type": "text/plain" }).end("refused by the address policy");
      },
    );
  });
  server.on("connection", (socket: net.Socket) => track(socket).setTimeout(IDLE_MS, () => socket.destroy()));

  // https and wss (and ws, which Chromium also tunnels): CONNECT host:port.
  server.on("connect", (req: http.IncomingMessage, client: Duplex, head: Buffer) => {
    const [hostname = "", port = "443"] = splitHostPort(req.url ?? "");
    resolveAllowed(hostname).then(
      (addresses) => {
        const upstream = track(net.connect({ host: hostname.replace(/^\[|\]$/g, ""), port: Number(port), lookup: checked(addresses) }));
        upstream.setTimeout(IDLE_MS, () => upstream.destroy());
        upstream.once("connect", () => {
          client.write("HTTP/1.1 200 Connection Established\r\n\r\n");
          if (head.byteLength > 0) upstream.write(head);
          upstream.pipe(client);
          client.pipe(upstream);
        });
        upstream.on("close", () => client.destroy());
        client.on("close", () => upstream.destroy());
      },
      (err: unknown) => {
        refuse(`https://${req.url ?? hostname}/`, err);
        client.end("HTTP/1.1 403 Forbidden\r\n\r\n");
      },
    );
  });
  // A plain-ws upgrade sent to the proxy as an absolute URL: nothing a page needs goes this way.
  server.on("upgrade", (req: http.IncomingMessage, client: Duplex) => {
    refuse(req.url && URL.canParse(req.url) ? req.url : "ws://unknown/", new Error("WebSocket upgrades through the proxy are not made"));
    client.destroy();
  });

  const port = await new Promise<number>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve((server.address() as net.AddressInfo).port));
  });
  return {
    server: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

type Lookup = NonNullable<net.TcpNetConnectOpts["lookup"]>;

/** A `lookup` that answers with the addresses already checked (all of them, in order: Node tries
 * each, as it would for a name with an IPv6 and an IPv4 address), never asking the DNS again. */
function checked(addresses: { address: string; family: number }[]): Lookup {
  return ((_hostname: string, options: { all?: boolean }, callback: (err: Error | null, address: string | { address: string; family: number }[], family?: number) => void) => {
    if (options.all) callback(null, addresses);
    else callback(null, addresses[0]?.address ?? "", addresses[0]?.family);
  }) as Lookup;
}

/** "host:port" or "[v6]:port" of a CONNECT request. */
function splitHostPort(authority: string): [string, string] {
  const match = /^(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(authority);
  return [match?.[1] ?? "", match?.[2] ?? "443"];
}

function withoutProxyHeaders(headers: http.IncomingHttpHeaders): http.OutgoingHttpHeaders {
  const out: http.OutgoingHttpHeaders = { ...headers };
  delete out["proxy-connection"];
  delete out["proxy-authorization"];
  return out;
}
